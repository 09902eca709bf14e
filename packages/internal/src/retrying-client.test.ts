import { describe, expect, it } from "vitest";
import { type ApiAnswer, createRetryingClient, fillPath, requestOf } from "./retrying-client.js";
import { createVirtualClock } from "./test/virtual-clock.js";

function fakeInner(answers: (() => ApiAnswer)[]) {
  const calls: { method: string; url: string; init: Record<string, unknown> | undefined }[] = [];
  const used: unknown[] = [];
  return {
    calls,
    used,
    request: async (method: string, url: string, init?: Record<string, unknown>) => {
      calls.push({ method, url, init });
      const next = answers[Math.min(calls.length - 1, answers.length - 1)];
      if (!next) throw new Error("no answer scripted");
      return next();
    },
    use: (...middleware: unknown[]) => used.push(...middleware),
    eject: () => {},
  };
}

const status = (code: number) => () => ({ response: new Response(null, { status: code }) });

type Call = (url: string, init?: Record<string, unknown>) => Promise<ApiAnswer>;
/** The inner fakes only have `request`; the wrapper adds the per-method calls. */
const withMethods = <Client>(client: Client) => client as Client & Record<"POST" | "DELETE", Call>;

describe("createRetryingClient", () => {
  it("runs every attempt as a full inner call and tags the answer with its request", async () => {
    const inner = fakeInner([status(503), status(503), status(200)]);
    const notices: string[] = [];
    const api = createRetryingClient(inner, {
      clock: createVirtualClock({ start: 0 }),
      policy: { maxRetries: 5 },
      classify: (outcome) =>
        outcome.kind === "answer" && outcome.answer.response.status === 503
          ? { retry: true, delayMs: 10, reason: "503" }
          : { retry: false },
      onRetry: (event) => notices.push(`${event.method} ${event.path} ${event.reason}`),
      failure: (error) => error,
    });
    const answer = await api.request("get", "/servers/{id}", { params: { path: { id: 42 } } });
    expect(answer.response.status).toBe(200);
    expect(inner.calls.map((call) => [call.method, call.url])).toEqual([
      ["GET", "/servers/{id}"],
      ["GET", "/servers/{id}"],
      ["GET", "/servers/{id}"],
    ]);
    expect(notices).toEqual(["GET /servers/42 503", "GET /servers/42 503"]);
    expect(requestOf(answer)).toEqual({
      method: "GET",
      schemaPath: "/servers/{id}",
      path: "/servers/42",
    });
    expect(Object.keys(answer)).toEqual(["response"]);
  });

  it("gives each attempt its own signal and throws what failure makes of a lost answer", async () => {
    const inner = fakeInner([
      () => {
        throw new TypeError("fetch failed");
      },
    ]);
    const controller = new AbortController();
    const api = withMethods(
      createRetryingClient(inner, {
        clock: createVirtualClock({ start: 0 }),
        policy: { maxRetries: 0, attemptTimeoutMs: 1_000 },
        classify: () => ({ retry: false }),
        failure: (error, timedOut, request) =>
          new Error(`${request.method} ${request.path}: ${String(error)} ${timedOut}`),
      }),
    );
    await expect(api.POST("/keys", { signal: controller.signal, body: {} })).rejects.toThrow(
      "POST /keys: TypeError: fetch failed false",
    );
    const signal = inner.calls[0]?.init?.signal as AbortSignal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal).not.toBe(controller.signal);
  });

  it("forwards use() to the inner client and lets attempt() change each call", async () => {
    const inner = fakeInner([status(200)]);
    const api = withMethods(
      createRetryingClient(inner, {
        clock: createVirtualClock({ start: 0 }),
        policy: { maxRetries: 0 },
        classify: () => ({ retry: false }),
        attempt: (send, init) => send({ ...init, headers: { Authorization: "Bearer x" } }),
        failure: (error) => error,
      }),
    );
    const middleware = { onRequest: () => undefined };
    api.use(middleware);
    await api.DELETE("/device/{id}", { params: { path: { id: "a b" } } });
    expect(inner.used).toEqual([middleware]);
    expect(inner.calls[0]?.init).toMatchObject({ headers: { Authorization: "Bearer x" } });
  });
});

describe("fillPath", () => {
  it("fills and encodes path parameters, leaving unknown ones", () => {
    expect(fillPath("/tailnet/{tailnet}/keys/{keyId}", { tailnet: "-", keyId: "k/1" })).toBe(
      "/tailnet/-/keys/k%2F1",
    );
    expect(fillPath("/servers/{id}", {})).toBe("/servers/{id}");
    expect(fillPath("/servers", undefined)).toBe("/servers");
  });
});
