import { describe, expect, it } from "vitest";
import { counted, countedFetch } from "./counted.js";
import { hangUntilAborted } from "./hang-until-aborted.js";
import type { VirtualClock } from "./virtual-clock.js";

/** The retry options the attempt rules are checked with. */
export interface AttemptRetryOptions {
  timeoutMs?: number;
  random?: () => number;
}

/** A client that sends every request through a given `fetch`, as the attempt rules see it. */
export interface ConnectedClient {
  clock: VirtualClock;
  /** The retry events the client has reported so far. */
  retries: readonly { reason: string }[];
  /** Adds an openapi-fetch middleware to the client's `api`. */
  use(middleware: { onRequest: () => undefined }): void;
  /** Sends an idempotent request (a GET). */
  read(): Promise<unknown>;
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
 * middleware runs once).
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
  });
}
