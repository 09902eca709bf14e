// Writes action.yml from the settings table (src/settings.ts), or with --check fails when the
// committed file differs from what the table gives.
//   tsx scripts/action-yml.ts [--check]
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { actionInputs } from "../src/action-inputs.js";
import { OUTPUTS } from "../src/outputs.js";

const path = join(dirname(fileURLToPath(import.meta.url)), "..", "action.yml");

/** action.yml as the settings table gives it, formatted as the repository's formatter keeps it. */
export function renderActionYml(): string {
  return execFileSync("biome", ["format", "--stdin-file-path", "action.yml"], {
    cwd: dirname(path),
    input: unformattedActionYml(),
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${join(dirname(path), "..", "..", "node_modules", ".bin")}:${process.env.PATH}`,
    },
  });
}

function unformattedActionYml(): string {
  const metadata = {
    name: "tailvm",
    description:
      "Provision a Hetzner Cloud VM that joins your Tailscale tailnet on first boot (rolled back if any step fails), deprovision it, or reap expired ones. A single bundled file: no npm install.",
    author: "tailvm",
    branding: { icon: "server", color: "blue" },
    inputs: actionInputs(),
    outputs: OUTPUTS,
    runs: { using: "node24", main: "dist/index.js", post: "dist/post.js" },
  };
  return [
    "# Generated from src/settings.ts (the settings table) by scripts/action-yml.ts: edit the table,",
    "# then run `pnpm --filter @tailvm/gh-runner generate`. `check` fails when this file differs.",
    stringify(metadata, { lineWidth: 100 }),
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const fresh = renderActionYml();
  if (!process.argv.includes("--check")) {
    writeFileSync(path, fresh);
  } else if (readFileSync(path, "utf8") !== fresh) {
    process.stderr.write(
      "action.yml differs from the settings table: run `pnpm --filter @tailvm/gh-runner generate` and commit it.\n",
    );
    process.exitCode = 1;
  }
}
