import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** Exit status of a program run with flags it does not take (as `tailvm`, `tailvm-boot-check`). */
const USAGE_EXIT_CODE = 2;

/** A program's command line: its name, its usage text, and the flags it takes. */
export interface CommandLineSpec<Options extends ParseArgsOptionsConfig> {
  /** The program's name, which starts every line it writes to stderr. */
  name: string;
  /** Printed on `--help` (to stdout), and after an error (to stderr). */
  usage: string;
  /** The flags, as `util.parseArgs` takes them; `--help`/`-h` is added. */
  options: Options;
}

/** Where {@link readCommandLine} reads the arguments and writes help and errors. */
export interface CommandLineIo {
  args?: string[];
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

type Values<Options extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: Options; strict: true; allowPositionals: false }>
>["values"];

/**
 * Reads a program's flags (strict: an unknown flag, a missing value or a positional argument is
 * refused). Returns the flags' values; or, for `--help`, prints the usage to stdout and returns
 * `{ exitCode: 0 }`; or, for a command line it refuses, prints what was wrong and the usage to
 * stderr and returns `{ exitCode: 2 }`.
 *
 * @example
 * ```ts
 * const line = readCommandLine({ name: "tailvm-sim", usage, options: { port: { type: "string" } } });
 * if ("exitCode" in line) return line.exitCode;
 * const port = Number(line.values.port ?? 0);
 * ```
 */
export function readCommandLine<const Options extends ParseArgsOptionsConfig>(
  spec: CommandLineSpec<Options>,
  io: CommandLineIo = {},
): { values: Values<Options> } | { exitCode: 0 | typeof USAGE_EXIT_CODE } {
  const stdout = io.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text));
  let values: Values<Options> & { help?: boolean };
  try {
    ({ values } = parseArgs({
      args: io.args ?? process.argv.slice(2),
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }) as { values: Values<Options> & { help?: boolean } });
  } catch (error) {
    stderr(`${spec.name}: ${(error as Error).message}\n\n${spec.usage}`);
    return { exitCode: USAGE_EXIT_CODE };
  }
  if (values.help === true) {
    stdout(spec.usage);
    return { exitCode: 0 };
  }
  delete values.help;
  return { values };
}
