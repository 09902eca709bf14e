import { createVirtualClock } from "@tailvm/internal/test";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { errorResponse, pagination, server, TOKEN } from "../test/fixtures";
import { useHetznerApi } from "../test/msw-client";
import { createHetznerClient } from "./client";
import { HetznerApiError } from "./errors";

const mock = useHetznerApi();

const client = createHetznerClient({ token: TOKEN, clock: createVirtualClock() });

describe("paginate", () => {
  it("follows meta.pagination.next_page across 3 pages with per_page 50", async () => {
    const queries = mock.pages("/servers", 3, (page) => ({
      servers: [1, 2].map((index) => server(page * 10 + index, `p${page}-${index}`)),
    }));

    const names: string[] = [];
    for await (const item of client.paginate("/servers", {
      params: { query: { label_selector: "team=ci" } },
    })) {
      names.push(item.name);
    }

    expect(names).toEqual(["p1-1", "p1-2", "p2-1", "p2-2", "p3-1", "p3-2"]);
    expect(queries.map((query) => query.get("page"))).toEqual(["1", "2", "3"]);
    expect(queries.every((query) => query.get("per_page") === "50")).toBe(true);
    expect(queries.every((query) => query.get("label_selector") === "team=ci")).toBe(true);
  });

  it("fills path parameters", async () => {
    const paths: string[] = [];
    mock.get("/servers/:id/actions", ({ request }) => {
      paths.push(new URL(request.url).pathname);
      return HttpResponse.json({ actions: [], meta: pagination(1, 1) });
    });

    const items = [];
    for await (const item of client.paginate("/servers/{id}/actions", {
      params: { path: { id: 42 } },
    })) {
      items.push(item);
    }

    expect(items).toEqual([]);
    expect(paths).toEqual(["/v1/servers/42/actions"]);
  });

  it("stops early when the consumer breaks, without fetching more pages", async () => {
    const queries = mock.pages("/locations", 5, (page) => ({
      locations: [{ ...server(1, "x").location, id: page }],
    }));

    for await (const location of client.paginate("/locations")) {
      expect(location.id).toBe(1);
      break;
    }

    expect(queries).toHaveLength(1);
  });

  it("throws HetznerApiError when a page fails", async () => {
    mock.get("/servers", ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get("page"));
      return page === 1
        ? HttpResponse.json({ servers: [server(1, "a")], meta: pagination(1, 2) })
        : errorResponse(403, "forbidden");
    });

    const seen: number[] = [];
    const iterate = async () => {
      for await (const item of client.paginate("/servers")) seen.push(item.id);
    };

    await expect(iterate()).rejects.toBeInstanceOf(HetznerApiError);
    expect(seen).toEqual([1]);
  });
});
