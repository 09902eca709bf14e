import { describe, expect, it } from "vitest";
import { anySignal, isAbortError, isAbortOf, raceSignal } from "./signals.js";

describe("raceSignal", () => {
  it("settles with the promise when the signal stays quiet", async () => {
    const controller = new AbortController();
    await expect(raceSignal(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    const failure = new Error("create failed");
    const error = await raceSignal(Promise.reject(failure), controller.signal).catch((e) => e);
    expect(error).toBe(failure);
    expect(isAbortOf(error, controller.signal)).toBe(false);
  });

  it("rejects with the abort reason at once while the promise goes on", async () => {
    const controller = new AbortController();
    let finish: (value: number) => void = () => {};
    const pending = new Promise<number>((resolve) => {
      finish = resolve;
    });
    const raced = raceSignal(pending, controller.signal);
    const reason = new Error("job cancelled");
    controller.abort(reason);
    const error = await raced.catch((caught: unknown) => caught);
    expect(error).toBe(reason);
    expect(isAbortOf(error, controller.signal)).toBe(true);
    finish(42);
    await expect(pending).resolves.toBe(42);
  });

  it("rejects before waiting when the signal has already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("already"));
    await expect(raceSignal(new Promise(() => {}), controller.signal)).rejects.toThrow("already");
  });
});

describe("anySignal", () => {
  it("aborts with the reason of whichever signal aborts, skipping undefined ones", () => {
    const first = new AbortController();
    const second = new AbortController();
    const combined = anySignal(undefined, first.signal, second.signal);
    expect(combined.aborted).toBe(false);
    const reason = new Error("second");
    second.abort(reason);
    expect(combined.aborted).toBe(true);
    expect(combined.reason).toBe(reason);
  });
});

describe("isAbortError", () => {
  it("recognises aborts and timeouts raised by signals, and nothing else", () => {
    expect(isAbortError(new DOMException("stop", "AbortError"))).toBe(true);
    expect(isAbortError(new DOMException("late", "TimeoutError"))).toBe(true);
    expect(isAbortError(new Error("boom"))).toBe(false);
    expect(isAbortError("AbortError")).toBe(false);
  });
});
