// The bundle entry of the action's `post:` step (dist/post.js).
import * as core from "@actions/core";
import { errorMessage } from "@tailvm/internal";
import { createActionsReporter } from "./actions-reporter.js";
import { runPost } from "./post.js";

try {
  await runPost({ reporter: createActionsReporter() });
} catch (error) {
  core.setFailed(`The post step failed: ${errorMessage(error)}`);
}
