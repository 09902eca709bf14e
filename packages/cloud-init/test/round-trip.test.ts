import { runProgram } from "@tailvm/internal/test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type CloudConfig, render } from "../src/index.js";
import { CLOUD_INIT_PYTHON, IN_CI } from "./cloud-init-tools.js";
import { TRICKY_STRINGS } from "./examples.js";

/** Any Unicode text (no lone surrogates: those cannot be UTF-8 user data), biased to YAML syntax. */
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(..."-:#'\"\n\t \r{}[],&*!|>%@`?=<~yYnN0o1.eE+\u0085\u2028\ufeff"),
    maxLength: 12,
  }),
  fc.constantFrom(...TRICKY_STRINGS),
);

const generatedConfig = fc.record({
  contents: fc.array(text, { minLength: 1, maxLength: 4 }),
  argv: fc.array(text, { minLength: 1, maxLength: 5 }),
  command: text,
  userNames: fc.array(text, { minLength: 1, maxLength: 3 }),
});

function toConfig(input: {
  contents: string[];
  argv: string[];
  command: string;
  userNames: string[];
}): CloudConfig {
  return {
    write_files: input.contents.map((content, index) => ({ path: `/tmp/file-${index}`, content })),
    runcmd: [input.argv, input.command],
    users: input.userNames.map((name) => ({ name })),
  };
}

describe("render then parse", () => {
  it("keeps arbitrary write_files content, runcmd argv and user names unchanged (yaml, 1.1 and 1.2)", () => {
    fc.assert(
      fc.property(generatedConfig, (input) => {
        const config = toConfig(input);
        const rendered = render(config);
        expect(rendered.startsWith("#cloud-config\n")).toBe(true);
        expect(parse(rendered, { version: "1.1" })).toEqual(config);
        expect(parse(rendered)).toEqual(config);
      }),
      { numRuns: 500 },
    );
  });

  const pyyamlTest = CLOUD_INIT_PYTHON !== undefined || IN_CI ? it : it.skip;
  pyyamlTest("keeps them unchanged through cloud-init's own YAML loader (PyYAML)", async () => {
    if (CLOUD_INIT_PYTHON === undefined)
      throw new Error("CI is set but cloud-init's Python is not installed");
    const configs = fc.sample(generatedConfig, { numRuns: 1000, seed: 4242 }).map(toConfig);
    // One Python process loads every document with cloudinit.safeyaml.load, as cloud-init does.
    const program = [
      "import json, sys",
      "from cloudinit import safeyaml",
      "cases = json.loads(sys.stdin.read())",
      "def same(case):",
      "    try: return safeyaml.load(case['text']) == case['expected']",
      "    except Exception: return False",
      "bad = [i for i, c in enumerate(cases) if not same(c)]",
      "print(json.dumps({'checked': len(cases), 'mismatches': bad[:10]}))",
    ].join("\n");
    const input = JSON.stringify(
      configs.map((config) => ({ text: render(config), expected: config })),
    );
    const result = await runProgram(CLOUD_INIT_PYTHON, ["-c", program], input);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as { checked: number; mismatches: number[] };
    const first = report.mismatches[0];
    expect(first === undefined ? "" : render(configs[first] ?? {})).toBe("");
    expect(report).toEqual({ checked: 1000, mismatches: [] });
  });
});
