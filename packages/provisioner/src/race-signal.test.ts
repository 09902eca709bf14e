import { describe, expect, it } from "vitest";
import { isAbortOf, raceSignal } from "./race-signal.js";

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
