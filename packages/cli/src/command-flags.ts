import type { ParseArgsConfig } from "node:util";
import { flagOf, type Mode, type SettingName, settingsOf } from "@tailvm/gh-runner";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The flags every subcommand takes besides its settings. */
export const COMMON_FLAGS = {
  json: { type: "boolean", description: "print the result as one JSON object on stdout" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

/**
 * The `util.parseArgs` options of a subcommand: one flag per setting it reads (booleans take
 * `--x` / `--no-x`), then `--json` and `--help`.
 */
export function parseArgsOptions(mode: Mode): Options {
  const options: Options = {};
  for (const [name, setting] of settingsOf(mode)) {
    options[flagOf(name).slice(2)] = { type: setting.boolean ? "boolean" : "string" };
  }
  for (const [name, flag] of Object.entries(COMMON_FLAGS)) {
    options[name] = "short" in flag ? { type: flag.type, short: flag.short } : { type: flag.type };
  }
  return options;
}

/**
 * The value each setting's flag gave, as text (`true`/`false` for booleans); undefined when the
 * flag was not given.
 */
export function flagValues(
  mode: Mode,
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
): (name: SettingName) => string | undefined {
  const known = new Set(settingsOf(mode).map(([name]) => name));
  return (name) => {
    if (!known.has(name)) return undefined;
    const value = values[flagOf(name).slice(2)];
    if (value === undefined || Array.isArray(value)) return undefined;
    return String(value);
  };
}
