// The release workflow's steps (.github/workflows/release.yml runs exactly these), runnable here:
//   node apps/gh-runner/scripts/release.mjs verify [--dry-run]
//       the tag names the action's version; builds everything; the committed dist/ and action.yml
//       are what a fresh build gives; every package to publish is built and publishes with
//       provenance. --dry-run skips the build (the test suite has just built) and says so.
//   node apps/gh-runner/scripts/release.mjs move-major-tag [--dry-run]
//       points the major tag (v1 for v1.2.3) at the released commit and pushes it; --dry-run
//       prints the git commands instead.
// The tag comes from RELEASE_TAG (github.ref_name in the workflow); without it, v<version>.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(packageDirectory, "..", "..");
const dryRun = process.argv.includes("--dry-run");
const step = process.argv[2];

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const log = (line) => process.stdout.write(`${line}\n`);
const run = (command, args, cwd = root) => {
  log(`$ ${[command, ...args].join(" ")}`);
  execFileSync(command, args, { cwd, stdio: "inherit" });
};

/** The workspace packages that `changeset publish` publishes: every one that is not private. */
export function publishedPackages() {
  const found = [];
  for (const folder of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, folder))) {
      const path = join(root, folder, name, "package.json");
      if (!existsSync(path)) continue;
      const manifest = readJson(path);
      if (!manifest.private) found.push({ directory: join(folder, name), manifest });
    }
  }
  return found;
}

/** The release tag and the major tag it moves, checked against the action's version. */
export function releaseTags(tag, version) {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  if (!match) throw new Error(`${tag} is not a release tag: tag releases vMAJOR.MINOR.PATCH.`);
  if (tag !== `v${version}`) {
    throw new Error(
      `${tag} does not name the action's version ${version} (apps/gh-runner/package.json): run \`changeset version\`, commit, and tag v${version}.`,
    );
  }
  return { tag, major: `v${match[1]}` };
}

function tags() {
  const { version } = readJson(join(packageDirectory, "package.json"));
  return releaseTags(process.env.RELEASE_TAG || `v${version}`, version);
}

function verify() {
  const { tag } = tags();
  log(`Releasing ${tag}.`);
  if (dryRun) log("(dry run: the build already ran; `pnpm build` is skipped)");
  else run("npx", ["-y", "pnpm@10", "build"]);
  // The build rewrote dist/ in place: the commit must already hold exactly that.
  run("node", ["build.mjs", "--check"], packageDirectory);
  run("npx", ["tsx", "scripts/action-yml.ts", "--check"], packageDirectory);
  const problems = [];
  for (const { directory, manifest } of publishedPackages()) {
    if (manifest.publishConfig?.provenance !== true) {
      problems.push(`${directory}: publishConfig.provenance must be true.`);
    }
    if (manifest.publishConfig?.access !== "public") {
      problems.push(`${directory}: publishConfig.access must be public.`);
    }
    if (!existsSync(join(root, directory, "dist"))) {
      problems.push(`${directory}: dist/ is missing: the build did not build it.`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Not ready to publish:\n${problems.map((line) => `  - ${line}`).join("\n")}`);
  }
  log(
    `Ready: ${publishedPackages()
      .map(({ manifest }) => manifest.name)
      .join(", ")} publish with provenance.`,
  );
}

function moveMajorTag() {
  const { tag, major } = tags();
  const commands = [
    ["git", ["tag", "--force", major, `${tag}^{commit}`]],
    ["git", ["push", "--force", "origin", `refs/tags/${major}`]],
  ];
  for (const [command, args] of commands) {
    if (dryRun) log(`(dry run) $ ${[command, ...args].join(" ")}`);
    else run(command, args);
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  try {
    if (step === "verify") verify();
    else if (step === "move-major-tag") moveMajorTag();
    else throw new Error("usage: release.mjs verify|move-major-tag [--dry-run]");
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
