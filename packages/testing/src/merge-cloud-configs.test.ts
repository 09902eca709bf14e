import { describe, expect, it } from "vitest";
import { mergeCloudConfigs } from "./merge-cloud-configs.js";

describe("mergeCloudConfigs", () => {
  it("replaces a top-level key whole by default", () => {
    expect(
      mergeCloudConfigs([
        { document: { runcmd: [["a"]], apt: { sources: { x: 1 } }, hostname: "h" } },
        { document: { runcmd: [["b"]], apt: { sources: { y: 2 } } } },
      ]),
    ).toEqual({ runcmd: [["b"]], apt: { sources: { y: 2 } }, hostname: "h" });
  });

  it("honours a simple merge_how or Merge-Type, the first merger named winning", () => {
    const first = { document: { runcmd: [["a"]], apt: { sources: { x: 1 } } } };
    expect(
      mergeCloudConfigs([
        first,
        {
          document: {
            runcmd: [["b"]],
            apt: { sources: { y: 2 } },
            merge_how: "list(append)+dict(no_replace,recurse_list)+str()",
          },
        },
      ]),
    ).toEqual({ runcmd: [["a"], ["b"]], apt: { sources: { x: 1, y: 2 } } });
    expect(
      mergeCloudConfigs([
        first,
        {
          document: { runcmd: [["b"]] },
          mergeType: "list(prepend)+dict(no_replace,recurse_array)",
        },
      ]).runcmd,
    ).toEqual([["b"], ["a"]]);
    // No dict merger named: cloud-init keeps the earlier mapping and drops the part.
    expect(
      mergeCloudConfigs([first, { document: { hostname: "h" }, mergeType: "list(append)" }]),
    ).toEqual({ runcmd: [["a"]], apt: { sources: { x: 1 } } });
  });

  it("merges by the default a merge_how it does not model", () => {
    expect(
      mergeCloudConfigs([
        { document: { runcmd: [["a"]] } },
        { document: { runcmd: [["b"]], merge_how: [{ name: "list", settings: ["append"] }] } },
      ]).runcmd,
    ).toEqual([["b"]]);
    expect(
      mergeCloudConfigs([
        { document: { runcmd: [["a"]] } },
        { document: { runcmd: [["b"]], merge_how: "list(append)+dict(allow_delete)" } },
      ]).runcmd,
    ).toEqual([["b"]]);
  });
});
