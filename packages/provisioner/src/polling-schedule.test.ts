import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import {
  BACKOFF_MAX_MS,
  createJoinHistory,
  DENSE_DELAY_MS,
  EARLY_PULL_MS,
  type JoinSchedule,
  LEAD_MS,
  MAX_DELAY_MS,
  nextJoinPollDelay,
} from "./polling-schedule.js";

const at = (elapsedMs: number, known: Partial<JoinSchedule> = {}): JoinSchedule => ({
  elapsedMs,
  expectedMs: undefined,
  runningAtMs: undefined,
  random: 0.5,
  ...known,
});

/**
 * Looks on the schedule with the virtual clock until a device that joins at `joinAtMs` is seen,
 * as the device wait does: the first look waits too, and the server seen running at
 * `runningAtMs` cuts the sleep short and plans again.
 */
async function seenAfter(
  joinAtMs: number,
  known: { expectedMs?: number; runningAtMs?: number } = {},
  random = () => 0.5,
) {
  const clock = createVirtualClock({ start: 0 });
  const looks: number[] = [];
  let runningAtMs: number | undefined;
  const running = new AbortController();
  if (known.runningAtMs !== undefined) {
    const at = known.runningAtMs;
    void clock.sleep(at).then(() => {
      runningAtMs = at;
      running.abort();
    });
  }
  const delay = () =>
    nextJoinPollDelay({
      elapsedMs: clock.now(),
      expectedMs: known.expectedMs,
      runningAtMs,
      random: random(),
    });
  for (;;) {
    const wakeAt = clock.now() + delay();
    await clock
      .sleep(wakeAt - clock.now(), runningAtMs === undefined ? running.signal : undefined)
      .catch(() => undefined);
    if (clock.now() < wakeAt) continue;
    looks.push(clock.now());
    if (clock.now() >= joinAtMs) return { lateMs: clock.now() - joinAtMs, looks };
  }
}

describe("nextJoinPollDelay", () => {
  it("with an expected join, sleeps to just before it, then polls every 200 ms, then backs off", () => {
    const expectedMs = 55_000;
    // No device joins before its server runs: the wait sleeps straight to the dense window.
    expect(nextJoinPollDelay(at(0, { expectedMs }))).toBe(expectedMs - LEAD_MS - 100);
    // Once it runs, no sleep is longer than MAX_DELAY_MS.
    expect(nextJoinPollDelay(at(1_000, { expectedMs: 105_000, runningAtMs: 1_000 }))).toBe(
      MAX_DELAY_MS - 100,
    );
    expect(nextJoinPollDelay(at(40_000, { expectedMs }))).toBe(expectedMs - LEAD_MS - 40_000 - 100);
    expect(nextJoinPollDelay(at(54_700, { expectedMs }))).toBe(DENSE_DELAY_MS);
    expect(nextJoinPollDelay(at(57_900, { expectedMs }))).toBe(DENSE_DELAY_MS);
    expect(nextJoinPollDelay(at(60_000, { expectedMs }))).toBe(1_000);
    expect(nextJoinPollDelay(at(120_000, { expectedMs }))).toBe(BACKOFF_MAX_MS);
  });

  it("without history, polls at a growing fraction of the time waited, at most 30 s apart", () => {
    expect(nextJoinPollDelay(at(0))).toBe(1_000);
    expect(nextJoinPollDelay(at(10_000))).toBe(4_000);
    expect(nextJoinPollDelay(at(300_000))).toBe(MAX_DELAY_MS);
  });

  it("without history, turns dense just before 2 s after the server is seen running", () => {
    expect(nextJoinPollDelay(at(4_000, { runningAtMs: 4_000 }))).toBe(2_000 - LEAD_MS - 100);
    expect(nextJoinPollDelay(at(5_600, { runningAtMs: 4_000 }))).toBe(DENSE_DELAY_MS);
    // A server seen running late (the watch is sparse) does not push an expected join back.
    expect(nextJoinPollDelay(at(100_000, { runningAtMs: 99_000, expectedMs: 100_500 }))).toBe(
      DENSE_DELAY_MS,
    );
    expect(nextJoinPollDelay(at(41_000, { runningAtMs: 40_000, expectedMs: 55_000 }))).toBe(
      55_000 - LEAD_MS - 41_000 - 100,
    );
  });

  it("jitters each delay by up to 10% either way", () => {
    expect(nextJoinPollDelay(at(54_800, { expectedMs: 55_000, random: 0 }))).toBe(180);
    expect(nextJoinPollDelay(at(54_800, { expectedMs: 55_000, random: 0.999_999 }))).toBe(220);
    expect(nextJoinPollDelay(at(10_000, { random: 0 }))).toBe(3_600);
  });
});

describe("the join poll with the virtual clock", () => {
  it("sees an expected join within half a second in a few looks", async () => {
    const { lateMs, looks } = await seenAfter(55_000, { expectedMs: 55_000 });
    expect(lateMs).toBeLessThanOrEqual(500);
    expect(looks).toEqual([54_600, 54_800, 55_000]);
  });

  it("never misses a fast join by more than the longest delay after the server runs, whatever history says", async () => {
    for (const joinAtMs of [3_000, 7_000, 15_000, 30_000]) {
      const runningAtMs = Math.max(0, joinAtMs - 2_000);
      const { lateMs } = await seenAfter(joinAtMs, { expectedMs: 105_000, runningAtMs });
      expect(lateMs).toBeLessThanOrEqual(MAX_DELAY_MS);
    }
    const { lateMs } = await seenAfter(7_000, { expectedMs: 105_000, runningAtMs: 4_000 });
    expect(lateMs).toBeLessThanOrEqual(MAX_DELAY_MS);
  });

  it("sees a late join within the backoff cap", async () => {
    const { lateMs } = await seenAfter(200_000, { expectedMs: 55_000 });
    expect(lateMs).toBeLessThanOrEqual(BACKOFF_MAX_MS * 1.1);
  });

  it("sees a join soon after the server runs when nothing else is known", async () => {
    const { lateMs, looks } = await seenAfter(7_000, { runningAtMs: 4_000 });
    expect(lateMs).toBeLessThanOrEqual(300);
    expect(looks.length).toBeLessThanOrEqual(16);
  });
});

describe("createJoinHistory", () => {
  it("expects the least of the last eight finds, or sooner as the latest run says, and ignores nonsense", () => {
    const history = createJoinHistory();
    expect(history.expectedMs()).toBeUndefined();
    for (const duration of [60_000, 55_000, 58_000, Number.NaN, -1]) history.record(duration);
    expect(history.expectedMs()).toBe(55_000);
    for (let index = 0; index < 7; index++) history.record(90_000);
    expect(history.expectedMs()).toBe(58_000);
    history.record(90_000);
    expect(history.expectedMs()).toBe(90_000 - EARLY_PULL_MS);
  });

  it("estimates the latest join between its last miss and its find, at most 1 s early", () => {
    const history = createJoinHistory();
    history.record(57_400, 30_000);
    expect(history.expectedMs()).toBe(57_400 - EARLY_PULL_MS);
    history.record(57_400);
    expect(history.expectedMs()).toBe(57_400 - EARLY_PULL_MS);
    history.record(55_200, 55_000);
    expect(history.expectedMs()).toBe(55_100);
    // A later, slower join moves the estimate back only as far as the earlier find allows.
    history.record(70_000, 69_800);
    expect(history.expectedMs()).toBe(55_200);
    // A miss after the find is nonsense: the run counts as found at its first look.
    history.record(50_000, 60_000);
    expect(history.expectedMs()).toBe(50_000 - EARLY_PULL_MS);
  });
});
