// The `tailvm` command (dist/tailvm.js).
import { runCli } from "./run-cli.js";

try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `tailvm failed unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
