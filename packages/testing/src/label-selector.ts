import { SimulatedCloudError } from "./errors.js";

/**
 * One requirement of a Hetzner label selector.
 *
 * @example
 * ```ts
 * const requirement: LabelRequirement = { kind: "in", key: "env", values: ["prod", "staging"] };
 * ```
 */
export type LabelRequirement =
  | { kind: "equals"; key: string; value: string }
  | { kind: "not-equals"; key: string; value: string }
  | { kind: "exists"; key: string }
  | { kind: "not-exists"; key: string }
  | { kind: "in"; key: string; values: string[] }
  | { kind: "not-in"; key: string; values: string[] };

/**
 * Thrown when a label selector cannot be parsed.
 *
 * @example
 * ```ts
 * try { parseLabelSelector("a b"); } catch (error) { error instanceof LabelSelectorError; // true }
 * ```
 */
export class LabelSelectorError extends SimulatedCloudError {
  override name = "LabelSelectorError";
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const character of selector) {
    if (character === "(") depth += 1;
    if (character === ")") depth -= 1;
    if (character === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += character;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

const KEY = "[A-Za-z0-9][A-Za-z0-9._/-]*";
const SET_PATTERN = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^)]*)\)$`);
const COMPARE_PATTERN = new RegExp(String.raw`^(${KEY})\s*(==|!=|=)\s*([^,=!()\s]*)$`);
const EXISTS_PATTERN = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

/**
 * Parses a Hetzner label selector (`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`,
 * comma-separated requirements that must all hold).
 *
 * @example
 * ```ts
 * parseLabelSelector("env=prod,!temporary"); // two requirements
 * ```
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === "") return [];
  return splitTopLevel(selector).map((part): LabelRequirement => {
    const set = SET_PATTERN.exec(part);
    if (set) {
      const [, key = "", operator, list = ""] = set;
      const values = list.split(",").map((value) => value.trim());
      return operator === "in" ? { kind: "in", key, values } : { kind: "not-in", key, values };
    }
    const compare = COMPARE_PATTERN.exec(part);
    if (compare) {
      const [, key = "", operator, value = ""] = compare;
      return operator === "!="
        ? { kind: "not-equals", key, value }
        : { kind: "equals", key, value };
    }
    const exists = EXISTS_PATTERN.exec(part);
    if (exists) {
      const [, negation, key = ""] = exists;
      return negation ? { kind: "not-exists", key } : { kind: "exists", key };
    }
    throw new LabelSelectorError(`invalid label selector requirement '${part}'`);
  });
}

/**
 * Whether `labels` satisfy every requirement of `selector`.
 *
 * @example
 * ```ts
 * matchesLabelSelector({ env: "prod" }, "env in (prod,staging)"); // true
 * ```
 */
export function matchesLabelSelector(labels: Record<string, string>, selector: string): boolean {
  return parseLabelSelector(selector).every((requirement) => {
    const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
    switch (requirement.kind) {
      case "equals":
        return value === requirement.value;
      case "not-equals":
        return value !== requirement.value;
      case "exists":
        return value !== undefined;
      case "not-exists":
        return value === undefined;
      case "in":
        return value !== undefined && requirement.values.includes(value);
      case "not-in":
        return value === undefined || !requirement.values.includes(value);
    }
    return false;
  });
}
