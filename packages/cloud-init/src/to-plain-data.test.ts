import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { render } from "./render.js";
import { secret } from "./secret.js";
import { toPlainData } from "./to-plain-data.js";
import type { CloudConfig } from "./types.js";

describe("toPlainData", () => {
  it("reveals or redacts secrets and drops undefined fields", () => {
    const data = toPlainData({ a: secret("s3cret"), b: undefined, c: [1, "x"] }, "redact");
    expect(data).toEqual({ a: "***", c: [1, "x"] });
    expect(toPlainData({ a: secret("s3cret") }, "reveal")).toEqual({ a: "s3cret" });
  });

  it("keeps a mapping key named __proto__ as an ordinary key", () => {
    // JSON.parse makes `__proto__` an own key, as a config read from a file would have it.
    const input = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "apt": {"sources": {"__proto__": {"source": "deb x"}}}}',
    );
    const data = toPlainData(input, "reveal") as Record<string, Record<string, unknown>>;
    expect(Object.keys(data)).toEqual(["__proto__", "apt"]);
    expect(Object.getOwnPropertyDescriptor(data, "__proto__")?.value).toEqual({ polluted: "yes" });
    expect(Object.keys(data.apt?.sources ?? {})).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("renders a __proto__ key, at the top level and nested", () => {
    const config = JSON.parse(
      '{"__proto__": "top", "apt": {"sources": {"__proto__": {"source": "deb x"}}}}',
    ) as CloudConfig;
    const text = render(config);
    expect(text).toContain("\n__proto__: top\n");
    expect(text).toContain("    __proto__:\n      source: deb x\n");
    const back = parse(text) as Record<string, unknown>;
    expect(Object.hasOwn(back, "__proto__")).toBe(true);
  });

  it("names the field path of a value YAML cannot carry", () => {
    expect(() => toPlainData({ runcmd: [["echo", () => 1]] }, "reveal")).toThrow(
      /runcmd\[0\]\[1\]: it is a function/,
    );
  });
});
