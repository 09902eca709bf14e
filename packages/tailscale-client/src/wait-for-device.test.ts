import { counted } from "@tailvm/internal/test";
import { describeWaitRules } from "@tailvm/internal/test/contracts";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { apiKeyClient, TEST_START } from "../test/clients.js";
import { device } from "../test/fake-tailscale-api.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import { TailscaleApiError, TailscaleTimeoutError } from "./errors.js";
import type { Device } from "./types.js";

const mock = useMockTailscale();
const requestedAt = TEST_START;

/** An offline device of the same hostname, left over from a run the day before. */
function staleDevice(overrides: Partial<Device> = {}) {
  return device({
    nodeId: "nOLD",
    hostname: "runner-1",
    created: "2026-02-28T09:00:00Z",
    connectedToControl: false,
    ...overrides,
  });
}

/** Runs `step` before answering the n-th device poll (1-based), letting the tailnet change over time. */
function onPoll(step: (poll: number) => void) {
  mock.get(
    "/tailnet/:tailnet/devices",
    counted((poll) => {
      step(poll);
      return HttpResponse.json({ devices: mock.api.devices });
    }),
  );
}

describe("waitForDevice", () => {
  it("ignores a stale offline device of the same hostname and returns the new one", async () => {
    mock.api.devices.push(staleDevice({ addresses: ["100.64.0.9", "fd7a:115c:a1e0::9"] }));
    onPoll((poll) => {
      if (poll === 3) {
        mock.api.devices.push(
          device({
            nodeId: "nNEW",
            hostname: "runner-1",
            name: "runner-1-1.tail1234.ts.net",
            created: "2026-03-01T12:00:40Z",
            connectedToControl: false,
            addresses: ["fd7a:115c:a1e0::42", "100.100.7.42"],
          }),
        );
      }
      const fresh = mock.api.devices.find((candidate) => candidate.nodeId === "nNEW");
      if (poll === 4 && fresh) fresh.connectedToControl = true;
    });
    const { tailscale, clock } = apiKeyClient();

    const enrolled = await tailscale.waitForDevice({
      hostname: "runner-1",
      tags: ["tag:ci"],
      createdAfter: requestedAt,
    });

    expect(enrolled).toEqual({
      nodeId: "nNEW",
      hostname: "runner-1",
      name: "runner-1-1.tail1234.ts.net",
      addresses: ["fd7a:115c:a1e0::42", "100.100.7.42"],
      ipv4: "100.100.7.42",
      ipv6: "fd7a:115c:a1e0::42",
    });
    // Polled four times, backing off between polls; the first sleep is the 5-minute deadline.
    expect(clock.sleeps).toEqual([300_000, 1_000, 2_000, 4_000]);
  });

  it("polls on the schedule pollDelayMs gives, and refuses one that is not a function", async () => {
    onPoll((poll) => {
      if (poll === 3) {
        mock.api.devices.push(
          device({ nodeId: "n1", hostname: "runner-1", created: "2026-03-01T12:00:10Z" }),
        );
      }
    });
    const { tailscale, clock } = apiKeyClient();
    const seen: { attempt: number; elapsedMs: number }[] = [];
    await tailscale.waitForDevice({
      hostname: "runner-1",
      createdAfter: requestedAt,
      pollDelayMs: (progress) => {
        seen.push(progress);
        return progress.attempt === 1 ? 7_000 : 300;
      },
    });
    expect(clock.sleeps).toEqual([300_000, 7_000, 300]);
    expect(seen).toEqual([
      { attempt: 1, elapsedMs: 0 },
      { attempt: 2, elapsedMs: 7_000 },
    ]);
    await expect(
      tailscale.waitForDevice({
        hostname: "runner-1",
        pollDelayMs: 500 as unknown as () => number,
      }),
    ).rejects.toThrow(/pollDelayMs must be a function/);
  });

  it("returns a device that has not connected yet when requireConnected is false", async () => {
    mock.api.devices.push(
      device({ nodeId: "n1", hostname: "runner-1", connectedToControl: false }),
    );
    const { tailscale, clock } = apiKeyClient();
    await expect(
      tailscale.waitForDevice({ hostname: "runner-1", requireConnected: false }),
    ).resolves.toMatchObject({ nodeId: "n1", ipv4: "100.101.102.103" });
    // Only the deadline, cancelled once the first poll found the device.
    expect(clock.sleeps).toEqual([300_000]);
    expect(clock.pending).toBe(0);
  });

  it("times out with an error naming the hostname, tags and wait, and what to check", async () => {
    mock.api.devices.push(staleDevice());
    const { tailscale, clock } = apiKeyClient();

    const error = await tailscale
      .waitForDevice({
        hostname: "runner-1",
        tags: ["tag:ci"],
        createdAfter: requestedAt,
        timeoutMs: 30_000,
      })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TailscaleTimeoutError);
    const timeout = error as TailscaleTimeoutError;
    expect(timeout.timeoutMs).toBe(30_000);
    expect(timeout.message).toContain('hostname "runner-1"');
    expect(timeout.message).toContain("tags tag:ci");
    expect(timeout.message).toContain("within 30 s");
    expect(timeout.message).toMatch(/nOLD \(created earlier .*offline\)/);
    expect(timeout.message).toMatch(/cloud-init/);
    expect(timeout.message).toMatch(/tagOwners/);
    expect(timeout.message).toMatch(/ACL/);
    // The deadline, then backoff capped at 5 s; the last sleep is cut to the deadline.
    expect(clock.sleeps).toEqual([30_000, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000, 3_000]);
    expect(clock.now() - requestedAt).toBe(30_000);
    expect(mock.requests).toHaveLength(8);
  });

  it("keeps polling through a transient API failure", async () => {
    const polls = counted((poll: number) =>
      poll === 1
        ? HttpResponse.json({ message: "down" }, { status: 503 })
        : HttpResponse.json({ devices: [device({ nodeId: "n1", hostname: "runner-1" })] }),
    );
    mock.get("/tailnet/:tailnet/devices", polls);
    const { tailscale } = apiKeyClient({
      retry: false,
    });
    await expect(tailscale.waitForDevice({ hostname: "runner-1" })).resolves.toMatchObject({
      nodeId: "n1",
    });
    expect(polls.count).toBe(2);
  });

  it("times out with the last failed poll as cause, printing its reason once", async () => {
    mock.get("/tailnet/:tailnet/devices", () =>
      HttpResponse.json({ message: "upstream down" }, { status: 503 }),
    );
    const { tailscale } = apiKeyClient({
      retry: false,
    });

    const error = await tailscale
      .waitForDevice({ hostname: "runner-1", timeoutMs: 10_000 })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TailscaleTimeoutError);
    expect((error as Error).message).toContain("the device list could not be read (see cause)");
    expect((error as Error).message).not.toContain("upstream down");
    expect((error as Error).cause).toMatchObject({ status: 503, apiMessage: "upstream down" });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "TailscaleTimeoutError",
      cause: { name: "TailscaleApiError", status: 503, path: "/tailnet/-/devices" },
    });
  });

  it("fails at once on an error waiting will not fix", async () => {
    mock.get("/tailnet/:tailnet/devices", () =>
      HttpResponse.json({ message: "forbidden" }, { status: 403 }),
    );
    const { tailscale } = apiKeyClient();
    await expect(tailscale.waitForDevice({ hostname: "runner-1" })).rejects.toBeInstanceOf(
      TailscaleApiError,
    );
    expect(mock.requests).toHaveLength(1);
  });

  it("checks its options before polling", async () => {
    const { tailscale } = apiKeyClient();
    await expect(tailscale.waitForDevice({ hostname: "" })).rejects.toMatchObject({
      field: "hostname",
    });
    await expect(tailscale.waitForDevice({ hostname: "a", tags: ["ci"] })).rejects.toMatchObject({
      field: "tags[0]",
    });
    await expect(tailscale.waitForDevice({ hostname: "a", timeoutMs: 0 })).rejects.toMatchObject({
      field: "timeoutMs",
    });
    expect(mock.requests).toEqual([]);
  });
});

describeWaitRules({
  connect: (fetch) => {
    const { tailscale, clock } = apiKeyClient({ fetch, retry: { maxDelayMs: 120_000 } });
    return {
      clock,
      wait: (options) => tailscale.waitForDevice({ hostname: "runner-1", ...options }),
    };
  },
  timeoutMs: 30_000,
  notReady: () => HttpResponse.json({ devices: [] }),
  retryLater: () =>
    HttpResponse.json({ message: "down" }, { status: 503, headers: { "Retry-After": "120" } }),
  timeoutError: TailscaleTimeoutError,
  unansweredMessage: "the device list did not arrive in time",
});
