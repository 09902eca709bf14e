import { createVirtualClock } from "@tailvm/internal/test";
import { describeWaitRules } from "@tailvm/internal/test/contracts";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { action, errorResponse, TOKEN } from "../test/fixtures";
import { useHetznerApi } from "../test/msw-client";
import { createHetznerClient } from "./client";
import type { HetznerClient, HetznerClientOptions } from "./client-types";
import { HetznerActionError, HetznerApiError, HetznerTimeoutError } from "./errors";
import type { Action } from "./types";

const mock = useHetznerApi();

/** Serves GET /actions from a script: `statuses[id][n]` is the status on the n-th poll. */
function serveActions(script: Record<number, Action["status"][]>, error?: Action["error"]) {
  const requests: number[][] = [];
  mock.get("/actions", ({ request }) => {
    const ids = new URL(request.url).searchParams.getAll("id").map(Number);
    const poll = requests.length;
    requests.push(ids);
    const actions = ids.map((id) => {
      const statuses = script[id] ?? ["running"];
      const status = statuses[Math.min(poll, statuses.length - 1)] ?? "running";
      return action(id, status, status === "error" ? (error ?? null) : null);
    });
    return HttpResponse.json({ actions });
  });
  return requests;
}

function makeClient(clock = createVirtualClock(), overrides: Partial<HetznerClientOptions> = {}) {
  return { client: createHetznerClient({ token: TOKEN, clock, ...overrides }), clock };
}

/** Waits up to 5 s for action 8 and returns what it rejected with. */
function waitFiveSeconds(client: HetznerClient) {
  return client.waitForAction(8, { timeoutMs: 5_000 }).catch((caught: unknown) => caught);
}

describe("waitForAction", () => {
  it("polls until the action succeeds, backing off from 1 s", async () => {
    const requests = serveActions({ 7: ["running", "running", "running", "success"] });
    const { client, clock } = makeClient();

    const [done] = await client.waitForAction(7);

    expect(done).toMatchObject({ id: 7, status: "success" });
    expect(requests).toEqual([[7], [7], [7], [7]]);
    // The first sleep is the 10-minute deadline, pending in the background.
    expect(clock.sleeps).toEqual([600_000, 1000, 1500, 2250]);
  });

  it("caps the poll interval at maxIntervalMs", async () => {
    serveActions({ 7: [...Array(12).fill("running"), "success"] });
    const { client, clock } = makeClient();

    await client.waitForAction(7);

    const pollSleeps = clock.sleeps.slice(1);
    expect(Math.max(...pollSleeps)).toBe(10_000);
    expect(pollSleeps.at(-1)).toBe(10_000);
  });

  it("batches every id into one GET /actions request and keeps their order", async () => {
    const requests = serveActions({ 1: ["success"], 2: ["running", "success"], 3: ["success"] });
    const { client } = makeClient();

    const actions = await client.waitForAction([3, 1, 2]);

    expect(actions.map((entry) => entry.id)).toEqual([3, 1, 2]);
    expect(requests[0]).toEqual([3, 1, 2]);
    expect(requests[1]).toEqual([2]);
    expect(requests).toHaveLength(2);
  });

  it("splits more than 50 ids into requests of 50", async () => {
    const ids = Array.from({ length: 120 }, (_, index) => index + 1);
    const requests = serveActions(Object.fromEntries(ids.map((id) => [id, ["success"]])));
    const { client } = makeClient();

    await client.waitForAction(ids);

    expect(requests.map((batch) => batch.length)).toEqual([50, 50, 20]);
  });

  it("throws HetznerActionError with the action's error code", async () => {
    serveActions(
      { 5: ["running", "error"], 6: ["running"] },
      { code: "server_create_failed", message: "could not create the server" },
    );
    const { client } = makeClient();

    const error = await client.waitForAction([5, 6]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerActionError);
    expect(error).toMatchObject({
      name: "HetznerActionError",
      code: "server_create_failed",
      action: { id: 5, status: "error" },
    });
    expect((error as Error).message).toContain("could not create the server");
  });

  it("throws HetznerTimeoutError when the deadline passes", async () => {
    const requests = serveActions({ 8: ["running"] });
    const { client, clock } = makeClient();
    const started = clock.now();

    const error = await waitFiveSeconds(client);

    expect(error).toBeInstanceOf(HetznerTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 5_000 });
    expect((error as Error).message).toContain("8");
    expect(clock.now() - started).toBe(5_000);
    // The deadline, then 1000 + 1500 + 2250 = 4750 and a last 250 ms sleep up to the deadline
    expect(clock.sleeps).toEqual([5_000, 1000, 1500, 2250, 250]);
    expect(requests).toHaveLength(4);
  });

  it("keeps polling through a 503, a network error and a 502 the client gave up on", async () => {
    const answers = [
      () => errorResponse(503, "unavailable"),
      () => HttpResponse.error(),
      () => errorResponse(502, "bad_gateway"),
      () => HttpResponse.json({ actions: [action(7, "running")] }),
      () => HttpResponse.json({ actions: [action(7, "success")] }),
    ];
    const calls = mock.counted("get", "/actions", (call) => answers[call - 1]?.());
    const { client, clock } = makeClient(createVirtualClock(), { retry: false });

    const [done] = await client.waitForAction(7);

    expect(done).toMatchObject({ id: 7, status: "success" });
    expect(calls.count).toBe(5);
    expect(clock.sleeps).toEqual([600_000, 1000, 1500, 2250, 3375]);
  });

  it("times out with the last transient failure as cause", async () => {
    mock.get("/actions", () => errorResponse(503, "unavailable"));
    const { client } = makeClient(createVirtualClock(), { retry: false });

    const error = await waitFiveSeconds(client);

    expect(error).toBeInstanceOf(HetznerTimeoutError);
    expect((error as Error).message).toContain("the last poll failed (see cause)");
    // The cause's reason is not printed a second time in the message.
    expect((error as Error).message).not.toContain("503");
    expect((error as Error).cause).toBeInstanceOf(HetznerApiError);
    expect((error as Error).cause).toMatchObject({ status: 503, method: "GET" });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "HetznerTimeoutError",
      timeoutMs: 5_000,
      cause: { name: "HetznerApiError", status: 503, code: "unavailable", path: "/actions" },
    });
  });

  it("fails at once on an error that polling again will not fix", async () => {
    const calls = mock.counted("get", "/actions", () => errorResponse(401, "unauthorized"));
    const { client } = makeClient();

    await expect(client.waitForAction(8)).rejects.toMatchObject({
      name: "HetznerApiError",
      status: 401,
    });
    expect(calls.count).toBe(1);
  });

  it("rejects bad ids and timeouts before sending", async () => {
    const { client } = makeClient();

    await expect(client.waitForAction([1, -2])).rejects.toMatchObject({ field: "ids" });
    await expect(client.waitForAction(1, { timeoutMs: 0 })).rejects.toMatchObject({
      field: "timeoutMs",
    });
  });

  it("reports an action that does not exist", async () => {
    mock.get("/actions", () => HttpResponse.json({ actions: [] }));
    const { client } = makeClient();

    await expect(client.waitForAction(404)).rejects.toThrow(/action 404 was not found/);
  });
});

describeWaitRules({
  connect: (fetch) => {
    const { client, clock } = makeClient(createVirtualClock(), { fetch });
    return { clock, wait: (options) => client.waitForAction(8, options) };
  },
  timeoutMs: 5_000,
  notReady: () => HttpResponse.json({ actions: [action(8, "running")] }),
  retryLater: () =>
    HttpResponse.json(
      { error: { code: "rate_limit_exceeded", message: "slow down", details: null } },
      { status: 429, headers: { "Retry-After": "60" } },
    ),
  timeoutError: HetznerTimeoutError,
  unansweredMessage: "action 8 still running after 5000 ms",
});
