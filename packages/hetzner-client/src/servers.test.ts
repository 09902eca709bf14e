import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { action, createBody, created, errorResponse, server } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import { HetznerInputError } from "./errors";
import type { CreateServerBody } from "./types";

const mock = useHetznerApi();

describe("helpers", () => {
  it("findServer resolves undefined for a missing server", async () => {
    mock.get("/servers/:id", () => errorResponse(404, "not_found"));
    const { client } = makeClient();

    await expect(client.findServer(99)).resolves.toBeUndefined();
  });

  it("findServer rethrows other errors", async () => {
    mock.get("/servers/:id", () => errorResponse(401, "unauthorized"));
    const { client } = makeClient();

    await expect(client.findServer(99)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("deleteServer resolves { deleted: true, action }, or { deleted: false } when already gone", async () => {
    mock.delete("/servers/:id", ({ params }) =>
      params.id === "1"
        ? HttpResponse.json({ action: { ...action(300, "running"), command: "delete_server" } })
        : errorResponse(404, "not_found"),
    );
    const { client } = makeClient();

    const deleted = await client.deleteServer(1);
    expect(deleted).toMatchObject({ deleted: true, action: { id: 300, command: "delete_server" } });
    await expect(client.deleteServer(2)).resolves.toEqual({ deleted: false });
  });

  it("deleteServer rethrows errors other than not_found", async () => {
    mock.delete("/servers/:id", () => errorResponse(423, "locked"));
    const { client } = makeClient({ retry: false });

    await expect(client.deleteServer(1)).rejects.toMatchObject({ code: "locked", status: 423 });
  });

  it("listServers filters by label selector and name across pages", async () => {
    const queries = mock.pages("/servers", 2, (page) => ({ servers: [server(page, `s${page}`)] }));
    const { client } = makeClient();

    const servers = await client.listServers({
      labelSelector: "tailvm/agent=a1",
      name: "runner-1",
    });

    expect(servers.map((entry) => entry.id)).toEqual([1, 2]);
    expect(queries.map((query) => query.get("label_selector"))).toEqual([
      "tailvm/agent=a1",
      "tailvm/agent=a1",
    ]);
    expect(queries[0]?.get("name")).toBe("runner-1");
    expect(queries[0]?.get("per_page")).toBe("50");
  });
});

describe("createServer", () => {
  it("sends server_type, image and location as IDs or names, as given", async () => {
    const bodies: unknown[] = [];
    mock.post("/servers", async ({ request }) => {
      bodies.push(await request.json());
      return created(42);
    });
    const { client } = makeClient();

    const result = await client.createServer({
      name: "runner-1",
      server_type: 114,
      image: 161_547_269,
      location: 1,
    });
    await client.createServer({ ...createBody, location: "nbg1" });
    await client.createServer({ ...createBody, location: undefined });

    expect(result).toMatchObject({ server: { id: 42 }, action: { id: 100 }, rootPassword: null });
    expect(bodies).toEqual([
      { name: "runner-1", server_type: 114, image: 161_547_269, location: 1 },
      { ...createBody, location: "nbg1" },
      createBody,
    ]);
  });
});

describe("input validation", () => {
  it.each([
    [{ ...createBody, name: "bad name!" }, "body.name"],
    [{ ...createBody, name: "-leading" }, "body.name"],
    [{ ...createBody, server_type: "" }, "body.server_type"],
    [{ ...createBody, image: " " }, "body.image"],
    [{ ...createBody, server_type: 0 }, "body.server_type"],
    [{ ...createBody, image: 1.5 }, "body.image"],
    [{ ...createBody, location: -1 }, "body.location"],
    [{ ...createBody, location: "" }, "body.location"],
    [{ ...createBody, labels: { team: 1 } }, "body.labels"],
  ])("rejects a bad create body %j naming %s, before sending", async (body, field) => {
    const { client } = makeClient();

    const error = await client
      .createServer(body as CreateServerBody)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerInputError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toContain(field);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects server id %s", async (id) => {
    const { client } = makeClient();

    await expect(client.getServer(id)).rejects.toMatchObject({
      name: "HetznerInputError",
      field: "id",
    });
    await expect(client.deleteServer(id)).rejects.toMatchObject({ field: "id" });
  });
});
