import { describe, expect, it } from "vitest";
import { counted, countedFetch } from "./counted.js";
import { hangUntilAborted } from "./hang-until-aborted.js";
import type { VirtualClock } from "./virtual-clock.js";

/** The retry options the attempt rules are checked with. */
export interface AttemptRetryOptions {
  timeoutMs?: number;
  random?: () => number;
}

/** An openapi-fetch middleware as the rules add it: it may replace the request, and sees answers. */
export interface ClientMiddleware {
  onRequest(options: { request: Request }): Request | undefined;
  onResponse?(options: { response: Response }): undefined;
}

/** A client that sends every request through a given `fetch`, as the attempt rules see it. */
export interface ConnectedClient {
  clock: VirtualClock;
  /** The retry events the client has reported so far. */
  retries: readonly { reason: string; status?: number }[];
  /** Adds an openapi-fetch middleware to the client's `api`. */
  use(middleware: ClientMiddleware): void;
  /** Removes a middleware that `use` added. */
  eject(middleware: ClientMiddleware): void;
  /** Sends an idempotent request (a GET) with the caller's `signal`, if any. */
  read(options?: { signal?: AbortSignal }): Promise<unknown>;
  /** Sends a request that is not idempotent (a POST). */
  create(): Promise<unknown>;
}

/** A client under test, and what it answers and throws. */
export interface AttemptSubject {
  /** A client on a virtual clock that sends through `fetch` with `retry` as its retry options. */
  connect(options: { fetch: typeof fetch; retry: AttemptRetryOptions }): ConnectedClient;
  /** The answer `read` succeeds with, and what it then resolves with (as `toMatchObject`). */
  readAnswer: { response: () => Response; resolves: object };
  /** An answer the API gives with `status` for a failed request. */
  failure(status: number): Response;
  /** The class of the client's error for a request that got no answer. */
  networkError: abstract new (
    ...args: never[]
  ) => Error;
  /** How the client's message says a POST may have been applied. */
  mayHaveBeenApplied: RegExp;
}

/**
 * The rules every client keeps for one attempt of a request: an attempt that outlives
 * `retry.timeoutMs` is ended on the client's clock and retried only when the request is
 * idempotent, and a POST whose answer says it may have been applied is never sent again (its
 * middleware runs once). The caller's signal ends a request with the signal's reason: aborted
 * while the client waits to retry, nothing is sent again and no timer is left pending; aborted
 * before the request starts, nothing is sent.
 *
 * @example
 * ```ts
 * describeAttemptRules({
 *   connect: ({ fetch, retry }) => { ... },
 *   readAnswer: { response: () => Response.json({ devices: [] }), resolves: [] },
 *   failure: (status) => Response.json({ message: "failed" }, { status }),
 *   networkError: TailscaleNetworkError,
 *   mayHaveBeenApplied: /may or may not have been applied/,
 * });
 * ```
 */
export function describeAttemptRules(subject: AttemptSubject): void {
  describe("attempt rules", () => {
    it("ends an attempt that outlives retry.timeoutMs and retries it when it is idempotent", async () => {
      const fetch = countedFetch((call, request) =>
        call === 1 ? hangUntilAborted(request) : subject.readAnswer.response(),
      );
      const client = subject.connect({ fetch, retry: { timeoutMs: 5_000, random: () => 0 } });

      await expect(client.read()).resolves.toMatchObject(subject.readAnswer.resolves);
      expect(fetch.count).toBe(2);
      expect(client.clock.sleeps.slice(0, 2)).toEqual([5_000, 500]);
      expect(client.retries[0]?.reason).toBe("no response within 5000 ms");
    });

    it("never re-sends a POST that timed out, and says it may have been applied", async () => {
      const fetch = countedFetch((_call, request) => hangUntilAborted(request));
      const client = subject.connect({ fetch, retry: { timeoutMs: 5_000 } });

      const error = await client.create().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(subject.networkError);
      expect(error).toMatchObject({
        name: subject.networkError.name,
        method: "POST",
        isRetryable: false,
      });
      expect((error as Error).message).toContain("(no response within 5000 ms)");
      expect((error as Error).message).toMatch(subject.mayHaveBeenApplied);
      expect(fetch.count).toBe(1);
    });

    it("sees a POST that got a 502 once: it is not re-sent", async () => {
      const fetch = countedFetch(() => subject.failure(502));
      const client = subject.connect({ fetch, retry: {} });
      const onRequest = counted(() => undefined);
      client.use({ onRequest });

      await expect(client.create()).rejects.toMatchObject({
        status: 502,
        method: "POST",
        isRetryable: false,
      });
      expect([fetch.count, onRequest.count]).toEqual([1, 1]);
      expect(client.retries).toEqual([]);
    });

    it("stops waiting and never retries when the signal aborts", async () => {
      const fetch = countedFetch(() => subject.failure(502));
      const client = subject.connect({ fetch, retry: {} });
      // Time stands still, so the client is still waiting to retry when the signal aborts.
      const release = client.clock.hold();
      const controller = new AbortController();

      const reading = client.read({ signal: controller.signal });
      await expect.poll(() => client.clock.pending).toBe(1);
      controller.abort();

      await expect(reading).rejects.toBe(controller.signal.reason);
      expect(controller.signal.reason).toMatchObject({ name: "AbortError" });
      expect(fetch.count).toBe(1);
      expect(client.clock.pending).toBe(0);
      release();
    });

    it("passes an already aborted signal through without sending", async () => {
      const fetch = countedFetch(() => subject.readAnswer.response());
      const client = subject.connect({ fetch, retry: {} });
      const signal = AbortSignal.abort();

      await expect(client.read({ signal })).rejects.toBe(signal.reason);
      expect(signal.reason).toMatchObject({ name: "AbortError" });
      expect(fetch.count).toBe(0);
    });
  });
}
