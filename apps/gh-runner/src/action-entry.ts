// The action's main step (dist/index.js): runs the `mode` input.
import * as core from "@actions/core";
import { errorMessage } from "@tailvm/internal";
import { createActionsReporter } from "./actions-reporter.js";
import { runMode } from "./run-mode.js";
import { ACTION_MODES, SETTINGS } from "./settings.js";

const given = (name: string) => core.getInput(name);
const mode = given("mode") || process.env[SETTINGS.mode.env] || SETTINGS.mode.default;

if (!(ACTION_MODES as readonly string[]).includes(mode)) {
  core.setFailed(
    `Invalid settings (1 problem); fix them and run again. Nothing was sent to Hetzner or Tailscale.\n  - mode: ${JSON.stringify(mode)} is not a mode: use ${ACTION_MODES.join(", ")}.`,
  );
} else {
  try {
    const outcome = await runMode(mode as (typeof ACTION_MODES)[number], {
      reporter: createActionsReporter(),
      sources: { given },
    });
    // Only after a rollback overran its grace: the provisioner still holds sockets and timers.
    if (outcome.abandoned) process.exit(1);
  } catch (error) {
    core.setFailed(`tailvm failed unexpectedly: ${errorMessage(error)}`);
  }
}
