// The bundle entry (dist/index.js): the action's main step inside GitHub Actions, the
// `tailvm-gh-runner` CLI everywhere else.
import * as core from "@actions/core";
import { createActionsReporter } from "./actions-reporter.js";
import { runCli } from "./cli.js";
import { runProvisioning } from "./main.js";

if (process.env.GITHUB_ACTIONS === "true") {
  try {
    const outcome = await runProvisioning({ reporter: createActionsReporter() });
    // Only after a rollback overran its grace: the provisioner still holds sockets and timers.
    if (outcome.abandoned) process.exit(1);
  } catch (error) {
    core.setFailed(
      `tailvm failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
} else {
  await runCli(process.argv.slice(2));
}
