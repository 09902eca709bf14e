import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageDirectory, repositoryRoot } from "../test/paths.js";
// @ts-expect-error: a plain ESM script without types
import { publishedPackages, releaseTags } from "./release.mjs";

const script = join(packageDirectory, "scripts", "release.mjs");

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}

function releaseSteps(): Step[] {
  const workflow = parse(
    readFileSync(join(repositoryRoot, ".github", "workflows", "release.yml"), "utf8"),
  ) as {
    on: { push: { tags: string[] } };
    jobs: { release: { steps: Step[]; permissions: object } };
  };
  expect(workflow.on.push.tags).toEqual(["v[0-9]+.[0-9]+.[0-9]+"]);
  expect(workflow.jobs.release.permissions).toEqual({ contents: "write", "id-token": "write" });
  return workflow.jobs.release.steps;
}

describe("the release workflow", () => {
  it("builds and checks with the script the tests dry-run, then publishes and moves the major tag", () => {
    const runs = releaseSteps().flatMap((step) => (step.run ? [step.run.trim()] : []));
    expect(runs).toEqual([
      "npx -y pnpm@10 install --frozen-lockfile",
      "node apps/gh-runner/scripts/release.mjs verify",
      "npx -y pnpm@10 changeset publish",
      "node apps/gh-runner/scripts/release.mjs move-major-tag",
    ]);
    const publish = releaseSteps().find((step) => step.run?.includes("changeset publish"));
    expect(publish?.env).toMatchObject({ NPM_CONFIG_PROVENANCE: "true" });
  });

  it("dry-runs its build and check steps on this checkout", () => {
    const { version } = JSON.parse(readFileSync(join(packageDirectory, "package.json"), "utf8"));
    const verify = execFileSync(process.execPath, [script, "verify", "--dry-run"], {
      cwd: repositoryRoot,
      encoding: "utf8",
      env: { ...process.env, RELEASE_TAG: `v${version}` },
    });
    expect(verify).toContain(`Releasing v${version}.`);
    expect(verify).toContain("$ node build.mjs --check");
    expect(verify).toMatch(/Ready: .*tailvm.* publish with provenance\./);
    const move = execFileSync(process.execPath, [script, "move-major-tag", "--dry-run"], {
      cwd: repositoryRoot,
      encoding: "utf8",
      env: { ...process.env, RELEASE_TAG: `v${version}` },
    });
    expect(move).toContain(
      `(dry run) $ git tag --force v${version.split(".")[0]} v${version}^{commit}`,
    );
  });

  it("refuses a tag that does not name the action's version", () => {
    expect(releaseTags("v1.2.3", "1.2.3")).toEqual({ tag: "v1.2.3", major: "v1" });
    expect(() => releaseTags("v1.2.4", "1.2.3")).toThrow(/does not name the action's version/);
    expect(() => releaseTags("1.2.3", "1.2.3")).toThrow(/not a release tag/);
  });

  it("publishes the CLI and the libraries, never the private packages", () => {
    const names = publishedPackages().map(
      (item: { manifest: { name: string } }) => item.manifest.name,
    );
    expect(names).toContain("tailvm");
    expect(names).toContain("@tailvm/provisioner");
    expect(names).not.toContain("@tailvm/gh-runner");
    expect(names).not.toContain("@tailvm/internal");
  });
});
