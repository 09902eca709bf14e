import { describe, expect, it } from "vitest";
import { type RetryNotice, sendWithRetries } from "./send-with-retries.js";
import { createVirtualClock } from "./test/virtual-clock.js";

describe("sendWithRetries", () => {
  it("sends again while classify says so, and returns the last outcome", async () => {
    const clock = createVirtualClock({ start: 0 });
    const notices: RetryNotice[] = [];
    let sends = 0;
    const outcome = await sendWithRetries(async () => ++sends, {
      clock,
      maxRetries: 5,
      classify: (attempt) =>
        attempt.kind === "answer" && attempt.answer < 3
          ? { retry: true, delayMs: 500, reason: `answer ${attempt.answer}` }
          : { retry: false },
      onRetry: (notice) => notices.push(notice),
    });
    expect(outcome).toEqual({ kind: "answer", answer: 3 });
    expect(notices.map((notice) => notice.reason)).toEqual(["answer 1", "answer 2"]);
    expect(clock.now()).toBe(1_000);
  });

  it("stops after maxRetries and hands back a thrown error as an outcome", async () => {
    const clock = createVirtualClock({ start: 0 });
    const failure = new TypeError("fetch failed");
    let sends = 0;
    const outcome = await sendWithRetries(
      async () => {
        sends += 1;
        throw failure;
      },
      { clock, maxRetries: 2, classify: () => ({ retry: true, delayMs: 1, reason: "network" }) },
    );
    expect(outcome).toEqual({ kind: "error", error: failure, timedOut: false });
    expect(sends).toBe(3);
  });

  it("never retries once the caller's signal aborted", async () => {
    const clock = createVirtualClock({ start: 0 });
    const controller = new AbortController();
    const reason = new Error("cancelled");
    let sends = 0;
    const outcome = sendWithRetries(
      async () => {
        sends += 1;
        controller.abort(reason);
        return 500;
      },
      {
        clock,
        signal: controller.signal,
        maxRetries: 5,
        classify: () => ({ retry: true, delayMs: 1, reason: "5xx" }),
      },
    );
    await expect(outcome).rejects.toBe(reason);
    expect(sends).toBe(1);
  });

  it("ends an attempt that outlives attemptTimeoutMs and reports it as timed out", async () => {
    const clock = createVirtualClock({ start: 0 });
    const outcome = await sendWithRetries(
      (signal) =>
        new Promise<number>((_resolve, reject) =>
          signal?.addEventListener("abort", () => reject(signal.reason)),
        ),
      { clock, maxRetries: 0, attemptTimeoutMs: 2_000, classify: () => ({ retry: false }) },
    );
    expect(outcome).toMatchObject({ kind: "error", timedOut: true });
    expect(clock.now()).toBe(2_000);
  });
});
