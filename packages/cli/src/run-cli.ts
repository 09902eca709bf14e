import { parseArgs } from "node:util";
import {
  createTerminalReporter,
  flagOf,
  type Mode,
  runMode,
  SETTINGS,
  type SettingName,
} from "@tailvm/gh-runner";
import { flagValues, parseArgsOptions } from "./command-flags.js";
import { COMMANDS, type CommandName, EXIT_CODES } from "./commands.js";
import { commandHelp, mainHelp } from "./help.js";
import { type CliIo, processIo } from "./io.js";
import { formatOutcome } from "./print-outcome.js";
import { runSim, SIM_FLAGS } from "./sim-command.js";

/** How the CLI names a setting in a problem: its flag and its environment variable. */
function nameSetting(name: string): string {
  return name in SETTINGS
    ? `${flagOf(name as SettingName)} (${SETTINGS[name as SettingName].env})`
    : name;
}

/**
 * Runs `tailvm` with `argv` (without node and the script) and resolves with its exit code. Never
 * exits the process itself, except after a rollback that overran its grace.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(["plan", "--agent-id", "agent-42", "--tailscale-tags", "tag:ci"]);
 * ```
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    (command === undefined ? io.stderr : io.stdout)(mainHelp());
    return command === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  if (!(command in COMMANDS)) {
    io.stderr(`error: ${JSON.stringify(command)} is not a command.\n\n${mainHelp()}`);
    return EXIT_CODES.usage;
  }
  const name = command as CommandName;
  const options =
    name === "sim"
      ? {
          ...Object.fromEntries(
            Object.keys(SIM_FLAGS).map((flag) => [flag, { type: "string" as const }]),
          ),
          help: { type: "boolean" as const, short: "h" },
        }
      : parseArgsOptions(name);
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    }));
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\nRun \`tailvm ${name} --help\` for its flags.\n`);
    return EXIT_CODES.usage;
  }
  if (values.help) {
    io.stdout(commandHelp(name));
    return EXIT_CODES.ok;
  }
  if (name === "sim") return runSim(values as Record<string, string>, io);

  const mode: Mode = name;
  const outcome = await runMode(mode, {
    reporter: createTerminalReporter({ env: io.env, write: (line) => io.stderr(`${line}\n`) }),
    sources: { given: flagValues(mode, values), env: io.env },
    nameSetting,
  });
  io.stdout(formatOutcome(mode, outcome, values.json === true));
  // Only after a rollback overran its grace: the provisioner still holds sockets and timers.
  if (outcome.abandoned) process.exit(EXIT_CODES.failed);
  if (outcome.status === "invalid-inputs") return EXIT_CODES.usage;
  return outcome.status === "success" ? EXIT_CODES.ok : EXIT_CODES.failed;
}
