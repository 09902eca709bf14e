import { flagOf, type Mode, SETTINGS, settingsOf } from "@tailvm/gh-runner";
import { COMMON_FLAGS } from "./command-flags.js";
import { COMMANDS, type CommandName, EXIT_CODE_HELP } from "./commands.js";
import { SIM_FLAGS } from "./sim-command.js";

const indent = (lines: string[], by = "  ") => lines.map((line) => `${by}${line}`).join("\n");

/** `tailvm --help`. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  return `Usage: tailvm <command> [flags]

Provisions Hetzner Cloud VMs that join your Tailscale tailnet on first boot.

Commands:
${indent(Object.entries(COMMANDS).map(([name, summary]) => `${name.padEnd(width)}${summary}`))}

Every setting is a flag and an environment variable: the flag wins, then the environment variable,
then the default. GITHUB_ACTIONS changes nothing: in a workflow run: step tailvm reads its flags and
environment as anywhere else, and also writes GITHUB_OUTPUT and GITHUB_STEP_SUMMARY when they are set.
Run \`tailvm <command> --help\` for a command's flags.

Exit codes:
${indent(EXIT_CODE_HELP)}
`;
}

/** `tailvm <command> --help`: every flag with its environment variable, default and use. */
export function commandHelp(command: CommandName): string {
  if (command === "sim") {
    const flags = Object.entries(SIM_FLAGS).map(
      ([name, flag]) => `--${name} ${flag.value}\n      ${flag.description}`,
    );
    return `Usage: tailvm sim [flags]

${COMMANDS.sim} Prints
${[SETTINGS.hetzner_api_url.env, SETTINGS.tailscale_api_url.env, SETTINGS.hetzner_api_token.env, SETTINGS.tailscale_oauth_client_id.env, SETTINGS.tailscale_oauth_client_secret.env].join(", ")}
as NAME=value lines (fake credentials), then runs until interrupted.

Flags:
${indent(flags)}
  --help
      show this help
`;
  }
  const mode: Mode = command;
  const flags = settingsOf(mode).map(([name, setting]) => {
    const flag = setting.boolean
      ? `${flagOf(name)}, --no-${flagOf(name).slice(2)}`
      : `${flagOf(name)} VALUE`;
    const facts = [
      `env ${setting.env}`,
      setting.requiredIn?.includes(mode) ? "required" : undefined,
      setting.default !== undefined ? `default ${setting.default}` : undefined,
      setting.secret ? "secret" : undefined,
    ].filter(Boolean);
    return `${flag}  (${facts.join("; ")})\n      ${setting.description}`;
  });
  const common = Object.entries(COMMON_FLAGS).map(
    ([name, flag]) => `--${name}\n      ${flag.description}`,
  );
  return `Usage: tailvm ${command} [flags]

${COMMANDS[command]}

Flags (a flag wins over its environment variable, which wins over the default):
${indent([...flags, ...common])}

Progress goes to stderr, the result to stdout. Exit codes:
${indent(EXIT_CODE_HELP)}
`;
}
