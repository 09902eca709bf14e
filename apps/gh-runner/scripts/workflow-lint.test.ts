// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions written as literal workflow text
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { actionInputs } from "../src/action-inputs.js";
import { OUTPUTS } from "../src/outputs.js";
import { packageDirectory, repositoryRoot } from "../test/paths.js";
import {
  type ActionMetadataOptions,
  checkActionMetadata,
  findRunInjections,
} from "./workflow-lint.js";

describe("findRunInjections", () => {
  it("flags inputs and github.event expanded inside run scripts, with their lines", () => {
    const workflow = [
      "on: workflow_dispatch", // 1
      "jobs:", // 2
      "  a:", // 3
      "    runs-on: ubuntu-latest", // 4
      "    steps:", // 5
      "      - run: echo ${{ inputs.agent_id }}", // 6
      "      - run: |", // 7
      "          echo start", // 8
      '          echo "${{ github.event.issue.title }}"', // 9
      "          echo ${{ toJSON(github.event) }} ${{ github['event'].x }}", // 10
      "      - run: echo ${{ github.head_ref }} ${{ inputs['name'] }}", // 11
    ].join("\n");
    const findings = findRunInjections(workflow, "w.yml");
    expect(findings.map((finding) => [finding.line, finding.kind])).toEqual([
      [6, "run-injection"],
      [9, "run-injection"],
      [10, "run-injection"],
      [10, "run-injection"],
      [11, "run-injection"],
      [11, "run-injection"],
    ]);
    expect(findings[0]?.message).toContain("inputs.agent_id");
    expect(findings[0]?.message).toContain("env:");
  });

  it("allows the same values through env, and trusted expressions in run", () => {
    const workflow = [
      "on: workflow_dispatch",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    if: ${{ inputs.agent_id != '' }}",
      "    steps:",
      "      - env:",
      "          AGENT_ID: ${{ inputs.agent_id }}",
      "          TITLE: ${{ github.event.issue.title }}",
      '        run: echo "$AGENT_ID" ${{ steps.x.outputs.server_id }} ${{ github.run_id }}',
      "        with:",
      "          value: ${{ inputs.agent_id }}",
    ].join("\n");
    expect(findRunInjections(workflow, "w.yml")).toEqual([]);
  });

  it("reports YAML syntax errors", () => {
    expect(findRunInjections("jobs: [", "broken.yml")[0]?.kind).toBe("yaml");
  });
});

describe("checkActionMetadata", () => {
  const good = [
    "name: x",
    "description: y",
    "inputs:",
    "  a:",
    "    description: the a",
    "    required: true",
    "  b:",
    "    description: the b",
    "    required: false",
    '    default: ""',
    "outputs:",
    "  o:",
    "    description: the o",
    "runs:",
    "  using: node24",
    "  main: dist/index.js",
    "  post: dist/post.js",
  ].join("\n");
  const everything = () => true;
  const messagesOf = (text: string, options: ActionMetadataOptions) =>
    checkActionMetadata(text, "action.yml", options).map((finding) => finding.message);

  it("accepts a complete node24 action", () => {
    expect(checkActionMetadata(good, "action.yml", { exists: everything })).toEqual([]);
  });

  it("names every structural problem", () => {
    const bad = [
      "name: x",
      "inputs:",
      "  a:",
      "    required: yes please",
      "  b:",
      "    description: the b",
      "    required: false",
      "outputs:",
      "  o: {}",
      "runs:",
      "  using: node20",
      "  main: dist/index.js",
      "  post: dist/post.js",
    ].join("\n");
    expect(messagesOf(bad, { exists: (path) => path !== "dist/post.js" })).toEqual([
      'needs a non-empty "description".',
      'input "a" needs a description.',
      'input "a" needs "required: true" or "required: false".',
      'optional input "b" needs a string "default" (use "" for none).',
      'output "o" needs a description.',
      'runs.using is "node20"; this action runs on node24.',
      "runs.post points to dist/post.js, which does not exist: build the bundle and commit it.",
    ]);
  });

  it("compares inputs and outputs with what the code reads and writes", () => {
    const definitions = {
      inputs: { a: { required: false, default: "z" }, c: { required: true } },
      outputs: { o: {}, p: {} },
    };
    expect(messagesOf(good, { exists: everything, definitions })).toEqual([
      'input "c" is read by the code but not declared.',
      'input "a" must have required: false.',
      'input "a" must default to "z", as the code does.',
      'input "b" is declared but the code never reads it.',
      'output "p" is written by the code but not declared.',
    ]);
  });
});

describe("this repository", () => {
  it("has an action.yml that matches the code and points at committed bundles", () => {
    const text = readFileSync(join(packageDirectory, "action.yml"), "utf8");
    const findings = checkActionMetadata(text, "action.yml", {
      exists: (path) => path.startsWith("dist/"),
      definitions: { inputs: actionInputs(), outputs: OUTPUTS },
    });
    expect(findings).toEqual([]);
  });

  it("has workflows without untrusted expressions in run scripts", () => {
    const directory = join(repositoryRoot, ".github", "workflows");
    const files = existsSync(directory) ? readdirSync(directory) : [];
    expect(files).toContain("provision-agent.yml");
    for (const file of files) {
      expect(findRunInjections(readFileSync(join(directory, file), "utf8"), file)).toEqual([]);
    }
  });
});
