import { type Mode, type SettingName, settingsOf } from "./settings.js";

/**
 * The trimmed value of each setting a mode reads; absent when neither input, flag, environment
 * variable nor default gives one.
 */
export type RawSettings = Partial<Record<SettingName, string>>;

/** Where settings come from. */
export interface SettingSources {
  /**
   * A value given explicitly: an action input (`INPUT_<NAME>`) or a CLI flag. It wins over the
   * environment variable; `""` or `undefined` means not given.
   */
  given: (name: SettingName) => string | undefined;
  /** The environment, read for every setting not given. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads every setting of `mode`: the given value (input or flag), else its environment variable,
 * else its default. The same in and outside GitHub Actions: `GITHUB_ACTIONS` changes nothing.
 *
 * @example
 * ```ts
 * const raw = readSettings("provision", { given: (name) => core.getInput(name) });
 * raw.agent_id; // from INPUT_AGENT_ID, else TAILVM_AGENT_ID
 * ```
 */
export function readSettings(mode: Mode, sources: SettingSources): RawSettings {
  const env = sources.env ?? process.env;
  const raw: RawSettings = {};
  for (const [name, setting] of settingsOf(mode)) {
    const value = [sources.given(name), env[setting.env], setting.default]
      .map((candidate) => candidate?.trim() ?? "")
      .find((candidate) => candidate !== "");
    if (value !== undefined) raw[name] = value;
  }
  return raw;
}

/**
 * The values of the secret settings among `raw` (to mask before anything is logged).
 *
 * @example
 * ```ts
 * for (const value of secretValues(raw)) reporter.mask(value);
 * ```
 */
export function secretValues(mode: Mode, raw: RawSettings): string[] {
  return settingsOf(mode)
    .filter(([, setting]) => setting.secret)
    .map(([name]) => raw[name])
    .filter((value): value is string => value !== undefined);
}
