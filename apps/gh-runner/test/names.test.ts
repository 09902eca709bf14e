import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderActionYml } from "../scripts/action-yml.js";
import { outputsTable, settingsTable } from "../scripts/settings-table.js";
import { SETTINGS, settingEntries } from "../src/settings.js";
import { repositoryRoot } from "./paths.js";

const read = (path: string) => readFileSync(join(repositoryRoot, path), "utf8");

const READMES = ["README.md", "apps/gh-runner/README.md", "packages/cli/README.md"];
/** Names that earlier versions used, and nothing reads any more. */
const STALE_NAMES = [
  "GITHUB_CALLBACK_SECRET",
  "HCLOUD_TOKEN",
  "HETZNER_URL=",
  "TAILSCALE_URL=",
  "tailvm-gh-runner",
];

describe("one name table", () => {
  it("writes action.yml", () => {
    expect(read("apps/gh-runner/action.yml")).toBe(renderActionYml());
  });

  it("is the settings and outputs tables of the READMEs", () => {
    const action = read("apps/gh-runner/README.md");
    expect(action).toContain(settingsTable());
    expect(action).toContain(outputsTable());
    expect(read("packages/cli/README.md")).toContain(settingsTable());
  });

  it("names every environment variable the READMEs mention, and none of the old names", () => {
    const known = new Set(settingEntries().map(([, setting]) => setting.env));
    for (const readme of READMES) {
      const text = read(readme);
      for (const [name] of text.matchAll(/\bTAILVM_[A-Z_]+\b/g)) {
        if (name !== "TAILVM_DEBUG") expect(known, `${readme} names ${name}`).toContain(name);
      }
      for (const stale of STALE_NAMES)
        expect(text, `${readme} names ${stale}`).not.toContain(stale);
    }
  });

  it("shows the dispatch workflow in full, and the action by its tag with no checkout", () => {
    const readme = read("apps/gh-runner/README.md");
    const workflow = read(".github/workflows/provision-agent.yml");
    expect(readme).toContain(`\`\`\`yaml\n${workflow}\`\`\``);
    const firstExample = readme.slice(
      readme.indexOf("```yaml"),
      readme.indexOf("```", readme.indexOf("```yaml") + 3),
    );
    expect(firstExample).toContain("uses: <owner>/tailvm/apps/gh-runner@v1");
    expect(firstExample).not.toContain("actions/checkout");
    expect(read("README.md")).toContain("uses: <owner>/tailvm/apps/gh-runner@v1");
  });

  it("keeps the vendors' names for the credentials tailvm sim prints", () => {
    expect(SETTINGS.hetzner_api_token.env).toBe("HETZNER_API_TOKEN");
    expect(SETTINGS.hetzner_api_url.env).toBe("HETZNER_API_URL");
    expect(SETTINGS.tailscale_api_url.env).toBe("TAILSCALE_API_URL");
  });
});
