import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { action, errorResponse } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import type { CreateFirewallBody, Firewall } from "./types";

const mock = useHetznerApi();

function firewall(id: number, name: string): Firewall {
  return {
    id,
    name,
    labels: { "tailvm.dev/agent": "a1" },
    created: "2026-01-01T00:00:00+00:00",
    rules: [
      {
        direction: "in",
        protocol: "udp",
        port: "41641",
        source_ips: ["0.0.0.0/0", "::/0"],
        destination_ips: [],
      },
    ],
    applied_to: [],
  };
}

const body: CreateFirewallBody = {
  name: "runners",
  labels: { "tailvm.dev/agent": "a1" },
  rules: [{ direction: "in", protocol: "udp", port: "41641", source_ips: ["0.0.0.0/0", "::/0"] }],
  apply_to: [{ type: "label_selector", label_selector: { selector: "tailvm.dev/agent=a1" } }],
};

describe("firewalls", () => {
  it("listFirewalls filters by name and label selector across pages", async () => {
    const queries = mock.pages("/firewalls", 2, (page) => ({
      firewalls: [firewall(page, `fw-${page}`)],
    }));
    const { client } = makeClient();

    const found = await client.listFirewalls({
      name: "runners",
      labelSelector: "tailvm.dev/agent",
    });

    expect(found.map((entry) => entry.name)).toEqual(["fw-1", "fw-2"]);
    expect(queries.map((query) => [query.get("name"), query.get("label_selector")])).toEqual([
      ["runners", "tailvm.dev/agent"],
      ["runners", "tailvm.dev/agent"],
    ]);
  });

  it("createFirewall sends the body and resolves the firewall with its actions", async () => {
    const sent: unknown[] = [];
    mock.post("/firewalls", async ({ request }) => {
      sent.push(await request.json());
      return HttpResponse.json(
        { firewall: firewall(7, "runners"), actions: [action(70, "running")] },
        { status: 201 },
      );
    });
    const { client } = makeClient();

    const result = await client.createFirewall(body);

    expect(sent).toEqual([body]);
    expect(result.firewall.id).toBe(7);
    expect(result.actions.map((entry) => entry.id)).toEqual([70]);
  });

  it("createFirewall is never re-sent after a 502, and checks its body before sending", async () => {
    const calls = mock.counted("post", "/firewalls", () => errorResponse(502, "bad_gateway"));
    const { client, retries } = makeClient();

    await expect(client.createFirewall(body)).rejects.toMatchObject({
      status: 502,
      isRetryable: false,
    });
    expect(calls.count).toBe(1);
    expect(retries).toEqual([]);
    await expect(client.createFirewall({ ...body, name: " " })).rejects.toMatchObject({
      field: "body.name",
    });
  });

  it("deleteFirewall resolves { deleted } and retries after a 502", async () => {
    mock.counted("delete", "/firewalls/:id", (call, { params }) => {
      if (params.id !== "7") return errorResponse(404, "not_found");
      return call === 1
        ? errorResponse(502, "bad_gateway")
        : new HttpResponse(null, { status: 204 });
    });
    const { client, retries } = makeClient();

    await expect(client.deleteFirewall(7)).resolves.toEqual({ deleted: true });
    await expect(client.deleteFirewall(8)).resolves.toEqual({ deleted: false });
    expect(retries.map((event) => [event.method, event.path, event.status])).toEqual([
      ["DELETE", "/firewalls/7", 502],
    ]);
    await expect(client.deleteFirewall(0)).rejects.toMatchObject({ field: "id" });
  });

  it("deleteFirewall rethrows resource_in_use with its hint", async () => {
    mock.delete("/firewalls/:id", () =>
      errorResponse(422, "resource_in_use", "firewall is still applied"),
    );
    const { client } = makeClient();

    const error = await client.deleteFirewall(7).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: "HetznerApiError", code: "resource_in_use" });
    expect((error as Error).message).toMatch(/detach it first/);
  });
});
