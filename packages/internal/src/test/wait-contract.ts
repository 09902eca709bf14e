import { describe, expect, it } from "vitest";
import { countedFetch } from "./counted.js";
import { hangUntilAborted } from "./hang-until-aborted.js";
import type { VirtualClock } from "./virtual-clock.js";

/** A client's wait (a poll until something is ready) under test, and what it throws. */
export interface WaitSubject {
  /** A client on a virtual clock that sends every poll through `fetch`. */
  connect(fetch: typeof globalThis.fetch): {
    clock: VirtualClock;
    /** Starts the wait; it never ends on its own within `timeoutMs`. */
    wait(options: { timeoutMs: number; signal?: AbortSignal }): Promise<unknown>;
  };
  /** The deadline the tests give the wait. */
  timeoutMs: number;
  /** An answer to a poll that says the awaited thing is not ready yet. */
  notReady(): Response;
  /** An answer after which the client would wait longer than `timeoutMs` to send the poll again. */
  retryLater(): Response;
  /** The class of the client's error for a wait that ran out of time. */
  timeoutError: abstract new (
    ...args: never[]
  ) => Error;
  /** What that error says when no poll got an answer. */
  unansweredMessage: string;
}

/**
 * The rules every wait keeps while a poll is in flight or held back: the deadline ends it on
 * time, whether a poll gets no answer or the client waits to retry one, and the caller's signal
 * ends it at once with the caller's reason, whether it aborts while a poll gets no answer, while
 * a poll is being answered, or between two polls (nothing is polled afterwards); either way no
 * timer is left pending. A signal aborted before the wait starts rejects it with its reason, and
 * nothing is sent.
 *
 * @example
 * ```ts
 * describeWaitRules({
 *   connect: (fetch) => { ... },
 *   timeoutMs: 5_000,
 *   notReady: () => Response.json({ actions: [{ id: 8, status: "running" }] }),
 *   retryLater: () => Response.json({}, { status: 429, headers: { "Retry-After": "60" } }),
 *   timeoutError: HetznerTimeoutError,
 *   unansweredMessage: "did not finish",
 * });
 * ```
 */
export function describeWaitRules(subject: WaitSubject): void {
  const { timeoutMs } = subject;
  /** The subject's client, every poll answered through one counted `fetch`. */
  const connect = (answer: Parameters<typeof countedFetch>[0]) => {
    const fetch = countedFetch(answer);
    return { fetch, ...subject.connect(fetch) };
  };

  describe("wait rules", () => {
    it("times out at the deadline while a poll gets no answer", async () => {
      const { fetch, clock, wait } = connect((_call, request) => hangUntilAborted(request));
      const started = clock.now();

      const error = await wait({ timeoutMs }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(subject.timeoutError);
      expect(error).toMatchObject({ timeoutMs });
      expect((error as Error).message).toContain(subject.unansweredMessage);
      expect(clock.now() - started).toBe(timeoutMs);
      expect(fetch.count).toBe(1);
      expect(clock.pending).toBe(0);
    });

    it("times out at the deadline while the client waits to retry a poll", async () => {
      const { fetch, clock, wait } = connect(() => subject.retryLater());
      const started = clock.now();

      const error = await wait({ timeoutMs }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(subject.timeoutError);
      expect(clock.now() - started).toBe(timeoutMs);
      expect(fetch.count).toBe(1);
      expect(clock.pending).toBe(0);
    });

    it("rejects with the caller's reason when the caller aborts a poll that gets no answer", async () => {
      const controller = new AbortController();
      const reason = new Error("job cancelled");
      const { fetch, clock, wait } = connect((_call, request) => {
        controller.abort(reason);
        return hangUntilAborted(request);
      });
      const started = clock.now();

      await expect(wait({ timeoutMs, signal: controller.signal })).rejects.toBe(reason);
      expect(clock.now()).toBe(started);
      expect(fetch.count).toBe(1);
      expect(clock.pending).toBe(0);
    });

    it("rejects with the caller's reason when the caller aborts while a poll is answered", async () => {
      const controller = new AbortController();
      const reason = new Error("job cancelled");
      const { fetch, clock, wait } = connect((call) => {
        if (call === 2) controller.abort(reason);
        return subject.notReady();
      });

      await expect(wait({ timeoutMs, signal: controller.signal })).rejects.toBe(reason);
      expect(fetch.count).toBe(2);
      expect(clock.pending).toBe(0);
    });

    it("stops polling promptly when the signal aborts between polls", async () => {
      const { fetch, clock, wait } = connect(() => subject.notReady());
      // Time stands still, so the wait is still between its first two polls when the signal aborts.
      const release = clock.hold();
      const controller = new AbortController();

      const waiting = wait({ timeoutMs, signal: controller.signal });
      // The deadline and the first poll interval
      await expect.poll(() => clock.pending).toBe(2);
      controller.abort();

      await expect(waiting).rejects.toBe(controller.signal.reason);
      expect(controller.signal.reason).toMatchObject({ name: "AbortError" });
      expect(clock.pending).toBe(0);
      expect(fetch.count).toBe(1);
      release();
      await clock.advance(60_000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(fetch.count).toBe(1);
    });

    it("rejects at once with an already aborted signal, sending nothing", async () => {
      const { fetch, clock, wait } = connect(() => subject.notReady());
      const reason = new Error("cancelled");

      await expect(wait({ timeoutMs, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect(fetch.count).toBe(0);
      expect(clock.pending).toBe(0);
    });
  });
}
