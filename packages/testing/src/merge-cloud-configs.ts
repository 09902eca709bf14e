/**
 * One cloud-config part of user data: its parsed document and its `Merge-Type` header, if any.
 *
 * @example
 * ```ts
 * const part: CloudConfigPart = { document: { runcmd: [["echo", "hi"]] } };
 * ```
 */
export interface CloudConfigPart {
  document: Record<string, unknown>;
  mergeType?: string;
}

interface MergeRules {
  /** `undefined`: no dict merger named, so a later part's mapping is dropped. */
  dict?: { replace: boolean; recurseList: boolean };
  /** `undefined`: no list merger named, so a later part's list is dropped. */
  list?: "replace" | "append" | "prepend" | "no_replace";
}

const DEFAULT_RULES: MergeRules = { dict: { replace: true, recurseList: false }, list: "replace" };

/**
 * Reads a `merge_how` string such as `list(append)+dict(no_replace,recurse_list)+str()`, or
 * `undefined` for a form this simulation does not model (which then merges by the default). As in
 * cloud-init, the first merger named for a type wins.
 */
function readMergeRules(text: string): MergeRules | undefined {
  const rules: MergeRules = {};
  for (const piece of text.split("+")) {
    const match = /^([a-z_]+)\((.*)\)$/.exec(piece.trim().toLowerCase().replace(/-/g, "_"));
    if (!match) return piece.trim() === "" ? rules : undefined;
    const [, name, rawOptions = ""] = match;
    const options = rawOptions
      .split(",")
      .map((option) => option.trim())
      .filter(Boolean);
    if (name === "dict") {
      if (
        options.some((option) => !/^(replace|no_replace|recurse_list|recurse_array)$/.test(option))
      )
        return undefined;
      rules.dict ??= {
        replace: options.includes("replace"),
        recurseList: options.includes("recurse_list") || options.includes("recurse_array"),
      };
    } else if (name === "list") {
      const method = options.find((option) => option !== "");
      if (options.length > 1) return undefined;
      if (method !== undefined && !/^(replace|append|prepend|no_replace)$/.test(method))
        return undefined;
      rules.list ??= (method ?? "replace") as NonNullable<MergeRules["list"]>;
    } else if (name !== "str") return undefined;
  }
  return rules;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function mergeValue(old: unknown, next: unknown, rules: MergeRules): unknown {
  if (isMapping(old)) {
    if (!isMapping(next) || rules.dict === undefined) return old;
    const { replace, recurseList } = rules.dict;
    const merged: Record<string, unknown> = { ...old };
    for (const [key, value] of Object.entries(next)) {
      if (!(key in merged) || replace) merged[key] = value;
      else if (isMapping(value) || (Array.isArray(value) && recurseList)) {
        merged[key] = mergeValue(merged[key], value, rules);
      }
    }
    return merged;
  }
  if (Array.isArray(old)) {
    if (rules.list === undefined) return old;
    if (!Array.isArray(next)) return rules.list === "replace" ? next : old;
    if (rules.list === "append") return [...old, ...next];
    if (rules.list === "prepend") return [...next, ...old];
    if (rules.list === "no_replace") return old;
    return old.map((value, index) =>
      index < next.length
        ? isMapping(next[index])
          ? mergeValue(value, next[index], rules)
          : next[index]
        : value,
    );
  }
  return old;
}

/**
 * Merges cloud-config parts as cloud-init does, in order, starting from an empty mapping. By default
 * (`dict(replace)+list()+str()`) a later part's top-level key replaces the earlier value whole, so
 * two parts with `runcmd` run only the second's. A part's `merge_how` (or `merge_type`) string or
 * `Merge-Type` header naming `dict(...)` (`replace`, `no_replace`, `recurse_list`), `list(...)`
 * (`append`, `prepend`, `replace`, `no_replace`) and `str(...)` is honoured; any other form (a list of
 * mergers, `recurse_str`, `allow_delete`) is merged by the default.
 *
 * @example
 * ```ts
 * mergeCloudConfigs([
 *   { document: { runcmd: [["a"]] } },
 *   { document: { runcmd: [["b"]], merge_how: "list(append)+dict(no_replace,recurse_list)+str()" } },
 * ]); // { runcmd: [["a"], ["b"]] }
 * ```
 */
export function mergeCloudConfigs(parts: readonly CloudConfigPart[]): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const { document, mergeType } of parts) {
    const { merge_how: mergeHow, merge_type: legacyMergeType, ...rest } = document;
    const fromDocument = mergeHow ?? legacyMergeType;
    const texts = [fromDocument, mergeType].filter(
      (text): text is string => typeof text === "string",
    );
    const rules =
      texts.length === 0 || (fromDocument !== undefined && typeof fromDocument !== "string")
        ? DEFAULT_RULES
        : (readMergeRules(texts.join("+")) ?? DEFAULT_RULES);
    merged = mergeValue(merged, rest, rules) as Record<string, unknown>;
  }
  return merged;
}
