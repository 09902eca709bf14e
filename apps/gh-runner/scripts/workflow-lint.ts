import { isMap, isScalar, LineCounter, parseDocument, type Scalar, visit } from "yaml";

/** One problem found in a workflow or action metadata file. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

// Values an outsider can choose: an expression with one of these expanded inside a `run:` script
// is the classic Actions script-injection hole. They belong in `env:`, then "$NAME" in the script.
const UNTRUSTED =
  /\binputs\s*[.[]|\bgithub\s*\.\s*event\b|\bgithub\s*\[\s*['"]event['"]|\bgithub\s*\.\s*head_ref\b/;
const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

/**
 * Finds `${{ inputs.* }}`, `${{ github.event.* }}` (and `github.head_ref`) expanded inside any
 * `run:` script of a workflow or composite action. actionlint flags some `github.event.*` fields
 * but not `inputs.*`, so this check runs beside it.
 *
 * @example
 * ```ts
 * findRunInjections('jobs: { a: { steps: [ { run: "echo ${{ inputs.name }}" } ] } }', "ci.yml");
 * // [{ file: "ci.yml", line: 1, message: "...inputs.name...", kind: "run-injection", ... }]
 * ```
 */
export function findRunInjections(text: string, file: string): Finding[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const findings: Finding[] = [];
  for (const error of document.errors) {
    const position = lineCounter.linePos(error.pos[0]);
    findings.push({
      file,
      line: position.line,
      column: position.col,
      message: error.message,
      kind: "yaml",
    });
  }
  visit(document, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || pair.key.value !== "run") return;
      if (!isScalar(pair.value) || typeof pair.value.value !== "string") return;
      const scalar = pair.value as Scalar<string>;
      const start = scalar.range?.[0] ?? 0;
      const source = text.slice(start, scalar.range?.[1] ?? text.length);
      for (const match of scalar.value.matchAll(EXPRESSION)) {
        const expression = (match[1] ?? "").trim();
        if (!UNTRUSTED.test(expression)) continue;
        const offset = source.indexOf(match[0]);
        const position = lineCounter.linePos(start + Math.max(offset, 0));
        findings.push({
          file,
          line: position.line,
          column: position.col,
          message: `"\${{ ${expression} }}" is expanded inside a run: script, where its value becomes shell code. Pass it through env: (e.g. env: { VALUE: "\${{ ${expression} }}" }) and use "$VALUE".`,
          kind: "run-injection",
        });
      }
    },
  });
  return findings;
}

/** The declared inputs and outputs an action.yml must agree with. */
export interface ActionDefinitions {
  inputs: Record<string, { required: boolean; default?: string }>;
  outputs: Record<string, unknown>;
}

/** Options of {@link checkActionMetadata}. */
export interface ActionMetadataOptions {
  /** Whether a path relative to the action's directory exists. */
  exists: (relativePath: string) => boolean;
  /** When given, the inputs and outputs must match these exactly. */
  definitions?: ActionDefinitions;
}

/**
 * Checks an action.yml's structure: name and description, every input with a description,
 * `required` and (when optional) a `default`, every output with a description, `runs.using: node24`
 * and the `main`/`pre`/`post` files present; with `definitions`, the same inputs and outputs as the
 * code reads and writes. Composite steps get the `run:` injection check too.
 *
 * @example
 * ```ts
 * checkActionMetadata(readFileSync("action.yml", "utf8"), "action.yml", {
 *   exists: (path) => existsSync(join(actionDirectory, path)),
 * });
 * ```
 */
export function checkActionMetadata(
  text: string,
  file: string,
  options: ActionMetadataOptions,
): Finding[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const findings: Finding[] = [];
  const at = (node: unknown) => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    const position = lineCounter.linePos(range?.[0] ?? 0);
    return { line: position.line, column: position.col };
  };
  const report = (node: unknown, message: string) =>
    findings.push({ file, ...at(node), message, kind: "action-metadata" });

  if (document.errors.length > 0) {
    for (const error of document.errors) report(undefined, error.message);
    return findings;
  }
  const root = document.contents;
  if (!isMap(root)) {
    report(root, "must be a mapping with name, description, inputs, outputs and runs.");
    return findings;
  }
  const metadata = document.toJS() as Record<string, unknown>;
  for (const key of ["name", "description"]) {
    if (typeof metadata[key] !== "string" || (metadata[key] as string).trim() === "") {
      report(root, `needs a non-empty "${key}".`);
    }
  }

  const inputs = (metadata.inputs ?? {}) as Record<string, Record<string, unknown> | null>;
  for (const [name, input] of Object.entries(inputs)) {
    const node = document.getIn(["inputs", name], true) ?? root;
    if (typeof input?.description !== "string" || input.description.trim() === "") {
      report(node, `input "${name}" needs a description.`);
    }
    if (typeof input?.required !== "boolean") {
      report(node, `input "${name}" needs "required: true" or "required: false".`);
    }
    if (input?.required === false && typeof input.default !== "string") {
      report(node, `optional input "${name}" needs a string "default" (use "" for none).`);
    }
  }
  const outputs = (metadata.outputs ?? {}) as Record<string, Record<string, unknown> | null>;
  for (const [name, output] of Object.entries(outputs)) {
    if (typeof output?.description !== "string" || output.description.trim() === "") {
      report(
        document.getIn(["outputs", name], true) ?? root,
        `output "${name}" needs a description.`,
      );
    }
  }

  const runs = metadata.runs as Record<string, unknown> | undefined;
  const runsNode = document.get("runs", true) ?? root;
  if (runs === undefined || runs === null || typeof runs !== "object") {
    report(root, 'needs "runs" with using: node24 and main.');
  } else {
    if (runs.using !== "node24") {
      report(runsNode, `runs.using is ${JSON.stringify(runs.using)}; this action runs on node24.`);
    }
    if (typeof runs.main !== "string") report(runsNode, "runs.main must name the bundled entry.");
    for (const key of ["main", "pre", "post"]) {
      const path = runs[key];
      if (typeof path === "string" && !options.exists(path)) {
        report(
          runsNode,
          `runs.${key} points to ${path}, which does not exist: build the bundle and commit it.`,
        );
      }
    }
  }

  if (options.definitions) {
    const expected = options.definitions;
    const declared = { inputs: Object.keys(inputs), outputs: Object.keys(outputs) };
    const reportUndeclared = (
      section: keyof ActionDefinitions,
      message: (name: string) => string,
    ) => {
      for (const name of Object.keys(expected[section])) {
        if (!declared[section].includes(name)) {
          report(document.get(section, true) ?? root, message(name));
        }
      }
    };
    reportUndeclared("inputs", (name) => `input "${name}" is read by the code but not declared.`);
    for (const name of declared.inputs) {
      const definition = expected.inputs[name];
      const node = document.getIn(["inputs", name], true) ?? root;
      if (definition === undefined) {
        report(node, `input "${name}" is declared but the code never reads it.`);
        continue;
      }
      const input = inputs[name];
      if (input?.required !== definition.required) {
        report(node, `input "${name}" must have required: ${definition.required}.`);
      }
      const wanted = definition.default ?? (definition.required ? undefined : "");
      if (wanted !== undefined && input?.default !== wanted) {
        report(
          node,
          `input "${name}" must default to ${JSON.stringify(wanted)}, as the code does.`,
        );
      }
    }
    reportUndeclared(
      "outputs",
      (name) => `output "${name}" is written by the code but not declared.`,
    );
    for (const name of declared.outputs) {
      if (!(name in expected.outputs)) {
        report(
          document.getIn(["outputs", name], true) ?? root,
          `output "${name}" is declared but never written.`,
        );
      }
    }
  }

  findings.push(...findRunInjections(text, file));
  return findings;
}

/**
 * Formats findings one a line, `file:line:column: message [kind]`.
 *
 * @example
 * ```ts
 * process.stderr.write(formatFindings(findings));
 * ```
 */
export function formatFindings(findings: Finding[]): string {
  return findings
    .map(
      (finding) =>
        `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]\n`,
    )
    .join("");
}
