import { counted } from "@tailvm/internal/test";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { apiKeyClient } from "../test/clients.js";
import { device } from "../test/fake-tailscale-api.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import { TailscaleApiError } from "./errors.js";
import type { RetryEvent } from "./retry-options.js";

const mock = useMockTailscale();

describe("listDevices and findDevices", () => {
  it("asks for all fields when told to", async () => {
    let fields: string | null = null;
    mock.get("/tailnet/:tailnet/devices", ({ request }) => {
      fields = new URL(request.url).searchParams.get("fields");
    });
    await apiKeyClient().tailscale.listDevices({ fields: "all" });
    expect(fields).toBe("all");
  });

  it("matches the machine hostname, every tag and the creation time, not the MagicDNS name", async () => {
    mock.api.devices.push(
      device({ nodeId: "match", hostname: "runner-1", tags: ["tag:ci", "tag:extra"] }),
      device({ nodeId: "upper", hostname: "Runner-1" }),
      device({ nodeId: "renamed", hostname: "runner-1-old", name: "runner-1.tail1234.ts.net" }),
      device({ nodeId: "untagged", hostname: "runner-1", tags: [] }),
      device({ nodeId: "old", hostname: "runner-1", created: "2026-03-01T11:00:00Z" }),
    );
    const { tailscale } = apiKeyClient();

    const found = await tailscale.findDevices({
      hostname: "runner-1",
      tags: ["tag:ci"],
      createdAfter: new Date("2026-03-01T12:00:00Z"),
    });
    expect(found.map((candidate) => candidate.nodeId)).toEqual(["match"]);

    const byHostname = await tailscale.findDevices({ hostname: "runner-1" });
    expect(byHostname.map((candidate) => candidate.nodeId)).toEqual(["match", "untagged", "old"]);
  });

  it("lets Tailscale filter by hostname and tags, so a large tailnet is not listed whole", async () => {
    const queries: string[] = [];
    mock.get("/tailnet/:tailnet/devices", ({ request }) => {
      queries.push(new URL(request.url).search);
    });
    const { tailscale } = apiKeyClient();
    await tailscale.findDevices({ hostname: "runner-1", tags: ["tag:ci", "tag:gpu"] });
    await tailscale.waitForDevice({ hostname: "runner-2", timeoutMs: 1 }).catch(() => undefined);
    await tailscale.listDevices({ fields: "all", filters: { isEphemeral: "true" } });
    expect(queries).toEqual([
      "?hostname=runner-1&tags=tag%3Aci&tags=tag%3Agpu",
      // The wait polls once; its 1 ms deadline passes before the next poll.
      "?hostname=runner-2",
      "?isEphemeral=true&fields=all",
    ]);
  });

  it("retries a GET after a 503 and reports the retry", async () => {
    mock.get(
      "/tailnet/:tailnet/devices",
      counted((call) =>
        call <= 2 ? HttpResponse.json({ message: "busy" }, { status: 503 }) : undefined,
      ),
    );
    const events: RetryEvent[] = [];
    const { tailscale, clock } = apiKeyClient({ onRetry: (event) => events.push(event) });
    await expect(tailscale.listDevices()).resolves.toEqual([]);
    expect(mock.requests).toHaveLength(3);
    expect(events.map((event) => [event.attempt, event.status, event.path])).toEqual([
      [1, 503, "/tailnet/-/devices"],
      [2, 503, "/tailnet/-/devices"],
    ]);
    expect(clock.sleeps).toEqual(events.map((event) => event.delayMs));
    // Exponential backoff with jitter: 0.5-1 s, then 1-2 s.
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1_000);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(1_000);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(2_000);
  });

  it("gives up after maxRetries with an error that says what happened", async () => {
    mock.get("/tailnet/:tailnet/devices", () =>
      HttpResponse.json({ message: "bad gateway" }, { status: 502 }),
    );
    const { tailscale } = apiKeyClient({
      retry: { maxRetries: 2 },
    });
    const error = await tailscale.listDevices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleApiError);
    expect(error).toMatchObject({ status: 502, isRetryable: true, apiMessage: "bad gateway" });
    expect((error as Error).message).toMatch(
      /GET \/tailnet\/-\/devices with HTTP 502: bad gateway/,
    );
    expect(mock.requests).toHaveLength(3);
  });
});

describe("deleteDevice and removeStaleDevices", () => {
  it("resolves { deleted: false } for a device that is already gone", async () => {
    mock.api.devices.push(device({ nodeId: "n1", hostname: "a" }));
    const { tailscale } = apiKeyClient();
    await expect(tailscale.deleteDevice("n1")).resolves.toEqual({ deleted: true });
    await expect(tailscale.deleteDevice("n1")).resolves.toEqual({ deleted: false });
  });

  it("deletes only offline devices with the same hostname and tags", async () => {
    mock.api.devices.push(
      device({ nodeId: "stale", hostname: "runner-1", connectedToControl: false }),
      device({ nodeId: "stale-2", hostname: "runner-1", connectedToControl: false }),
      device({ nodeId: "online", hostname: "runner-1", connectedToControl: true }),
      device({
        nodeId: "other-tags",
        hostname: "runner-1",
        connectedToControl: false,
        tags: ["tag:x"],
      }),
      device({ nodeId: "other-host", hostname: "runner-2", connectedToControl: false }),
      device({
        nodeId: "same-dns-name",
        hostname: "laptop",
        name: "runner-1.tail1234.ts.net",
        connectedToControl: false,
      }),
    );
    const { tailscale } = apiKeyClient();

    const removed = await tailscale.removeStaleDevices({ hostname: "runner-1", tags: ["tag:ci"] });

    expect(removed.map((candidate) => candidate.nodeId)).toEqual(["stale", "stale-2"]);
    expect(mock.api.deletedDevices).toEqual(["stale", "stale-2"]);
    expect(mock.api.devices.map((candidate) => candidate.nodeId)).toEqual([
      "online",
      "other-tags",
      "other-host",
      "same-dns-name",
    ]);
  });
});
