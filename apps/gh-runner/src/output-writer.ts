import type { OutputName } from "./outputs.js";
import type { Reporter } from "./reporter.js";

/** Writes action outputs once each: a value already written is not written again. */
export interface OutputWriter {
  write(name: OutputName, value: string | number | null | undefined): void;
  /** Everything written so far. */
  readonly values: Readonly<Partial<Record<OutputName, string>>>;
}

/**
 * Creates an {@link OutputWriter} on top of a reporter. `null` and `undefined` become the empty
 * string (an output a later step can test with `!= ''`).
 *
 * @example
 * ```ts
 * const outputs = createOutputWriter(reporter);
 * outputs.write("server_id", 42); // as soon as the server exists
 * outputs.write("server_id", 42); // no second line in GITHUB_OUTPUT
 * ```
 */
export function createOutputWriter(reporter: Reporter): OutputWriter {
  const values: Partial<Record<OutputName, string>> = {};
  return {
    write(name, value) {
      const text = value === null || value === undefined ? "" : String(value);
      if (values[name] === text) return;
      values[name] = text;
      reporter.setOutput(name, text);
    },
    values,
  };
}
