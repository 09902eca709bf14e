import { describe, expect, it } from "vitest";
import { checkQueryNames, parseListQuery } from "./list-query.ts";

const url = (query: string) => new URL(`http://app/api/vms${query}`);

describe("parseListQuery", () => {
  it("lists every status but deleted, 50 at most, by default", () => {
    expect(parseListQuery(url(""))).toEqual({
      ok: true,
      query: { statuses: ["provisioning", "succeeded", "failed", "deleting"], limit: 50 },
    });
    expect(parseListQuery(url("?status=deleted,failed&limit=100"))).toEqual({
      ok: true,
      query: { statuses: ["deleted", "failed"], limit: 100 },
    });
  });

  it("names every bad parameter at once", () => {
    const parsed = parseListQuery(url("?status=up&limit=1.5&limit=2&order=asc"));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.issues.map((issue) => issue.field)).toEqual([
      "limit",
      "order",
      "status",
      "limit",
    ]);
  });

  it("refuses any query where a route takes none", () => {
    expect(checkQueryNames(url("?x=1"), [])).toEqual([
      { field: "x", message: "is not accepted here; this route takes no query" },
    ]);
  });
});
