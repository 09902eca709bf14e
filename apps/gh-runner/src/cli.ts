import * as core from "@actions/core";
import { ENVIRONMENT_SETTINGS, INPUTS, OUTPUTS } from "./input-definitions.js";
import { runProvisioning } from "./main.js";
import type { Reporter } from "./reporter.js";

const USAGE = `Usage: tailvm-gh-runner [--json]

Provisions a Hetzner Cloud VM that joins your Tailscale tailnet, waits until it is reachable there,
and rolls everything back if any step fails. The same code as the GitHub Action; outside Actions it
reads its inputs from environment variables.

Options:
  --json    print the result as one JSON object instead of a table
  --help    show this help

Environment:
${Object.entries(INPUTS)
  .map(
    ([name, definition]) =>
      `  ${definition.env.padEnd(30)}${definition.required ? "required" : "optional"}${"default" in definition ? `, default ${definition.default}` : ""} (input ${name})`,
  )
  .join("\n")}
${Object.keys(ENVIRONMENT_SETTINGS)
  .map((name) => `  ${name.padEnd(30)}optional`)
  .join("\n")}

Logs go to stderr, the result to stdout. When GITHUB_OUTPUT is set, outputs are also written there
(${Object.keys(OUTPUTS).join(", ")}). Exit code 0 on success, 1 on failure (everything rolled back),
2 on a usage error.

Example:
  HETZNER_API_TOKEN=... TAILSCALE_OAUTH_CLIENT_ID=... TAILSCALE_OAUTH_CLIENT_SECRET=... \\
  AGENT_ID=agent-42 TAILSCALE_TAGS=tag:ci tailvm-gh-runner
`;

/**
 * A {@link Reporter} for a terminal: progress on stderr, no workflow commands. Outputs go to the
 * `GITHUB_OUTPUT` file when it is set; the caller prints the result.
 *
 * @example
 * ```ts
 * const outcome = await runProvisioning({ reporter: createCliReporter() });
 * ```
 */
export function createCliReporter(env: NodeJS.ProcessEnv = process.env): Reporter {
  let inGroup = false;
  return {
    // Nothing to register: the CLI never prints a secret, and `::add-mask::` would print it.
    mask: () => undefined,
    info: (line) => console.error(inGroup ? `    ${line}` : line),
    warning: (line) => console.error(`warning: ${line}`),
    debug: (line) => {
      if (env.TAILVM_DEBUG === "1") console.error(`debug: ${line}`);
    },
    startGroup(title) {
      inGroup = true;
      console.error(`> ${title}`);
    },
    endGroup() {
      inGroup = false;
    },
    setOutput(name, value) {
      if (env.GITHUB_OUTPUT) core.setOutput(name, value);
    },
    saveState: () => undefined,
    fail(message) {
      process.exitCode = 1;
      console.error(`error: ${message}`);
    },
    async writeSummary(markdown) {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
  };
}

/**
 * The `tailvm-gh-runner` command: the Action's run, with inputs from the environment and a readable
 * result on stdout.
 *
 * @example
 * ```ts
 * await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: string[]): Promise<void> {
  const unknown = argv.filter((argument) => !["--json", "--help", "-h"].includes(argument));
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  if (unknown.length > 0) {
    console.error(`error: unknown argument ${unknown.join(" ")}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const json = argv.includes("--json");
  const outcome = await runProvisioning({ reporter: createCliReporter() });
  if (json) {
    console.log(
      JSON.stringify({ status: outcome.status, outputs: outcome.outputs, result: outcome.result }),
    );
  } else if (outcome.result) {
    const rows = Object.entries(outcome.outputs).map(
      ([name, value]) => `  ${name.padEnd(20)}${value === "" ? "-" : value}`,
    );
    console.log(`${outcome.status === "success" ? "VM ready" : "VM kept"}:\n${rows.join("\n")}`);
  }
  if (outcome.abandoned) process.exit(1);
}
