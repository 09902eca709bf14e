import { type Mode, type SettingDefinition, type SettingName, settingEntries } from "./settings.js";

/** One input as action.yml declares it. */
export interface ActionInput {
  description: string;
  /** Always false: every input is needed by some modes only, or falls back to the environment. */
  required: false;
  default: string;
}

function requirement(name: SettingName, setting: SettingDefinition): string {
  const modes = (setting.requiredIn ?? []).filter(
    (mode): mode is Exclude<Mode, "plan"> => mode !== "plan",
  );
  const where = modes.length === 3 ? "" : ` for mode ${modes.join(" and ")}`;
  if (modes.length > 0) {
    return ` Required${where}, here or in the environment variable ${setting.env}.`;
  }
  if (name === "mode") return ` Environment variable: ${setting.env}.`;
  return ` Falls back to the environment variable ${setting.env}.`;
}

/**
 * The action's inputs as action.yml declares them, from the settings table: every setting but the
 * CLI-only ones, never `required: true` (the run checks what each mode needs and says so), with
 * the table's default (`""` for none).
 *
 * @example
 * ```ts
 * actionInputs().agent_id.description; // "The agent this VM is for ... Required for mode provision, ..."
 * ```
 */
export function actionInputs(): Record<string, ActionInput> {
  const inputs: Record<string, ActionInput> = {};
  for (const [name, setting] of settingEntries()) {
    if (!setting.modes.some((mode) => mode !== "plan")) continue;
    inputs[name] = {
      description: `${setting.description}${requirement(name, setting)}`,
      required: false,
      default: setting.default ?? "",
    };
  }
  return inputs;
}
