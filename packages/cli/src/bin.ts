// The `tailvm` command (dist/tailvm.js).
import { errorMessage } from "@tailvm/internal";
import { runCli } from "./run-cli.js";

try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`tailvm failed unexpectedly: ${errorMessage(error)}\n`);
  process.exitCode = 1;
}
