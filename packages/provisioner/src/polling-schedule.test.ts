import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import {
  BACKOFF_MAX_MS,
  createJoinHistory,
  DENSE_DELAY_MS,
  EARLY_WINDOW_MS,
  type JoinSchedule,
  type JoinWindow,
  LANDING_JITTER_MS,
  MAX_DELAY_MS,
  nextJoinPollDelay,
  WINDOW_STEP_MS,
} from "./polling-schedule.js";

const at = (elapsedMs: number, known: Partial<JoinSchedule> = {}): JoinSchedule => ({
  elapsedMs,
  lastSentMs: undefined,
  expected: undefined,
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
  known: { expected?: JoinWindow | undefined; runningAtMs?: number } = {},
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
      lastSentMs: looks.at(-1),
      expected: known.expected,
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

const window = (fromMs: number, toMs = fromMs): JoinWindow => ({ fromMs, toMs });

describe("nextJoinPollDelay", () => {
  it("with an expected window, sleeps to its middle, looks 100 ms apart through it and 200 ms for 3 s after, then backs off", () => {
    const expected = window(54_800, 55_000);
    // No device joins before its server runs: the wait sleeps straight to the window.
    expect(nextJoinPollDelay(at(0, { expected }))).toBe(54_900 - 25);
    // Once it runs, no sleep is longer than MAX_DELAY_MS.
    expect(nextJoinPollDelay(at(1_000, { expected: window(105_000), runningAtMs: 1_000 }))).toBe(
      MAX_DELAY_MS - 25,
    );
    expect(nextJoinPollDelay(at(40_000, { expected }))).toBe(54_900 - 40_000 - 25);
    // Spaced from the last look's send, however long its answer took.
    expect(nextJoinPollDelay(at(54_900, { expected, lastSentMs: 54_875 }))).toBe(75);
    expect(nextJoinPollDelay(at(55_200, { expected, lastSentMs: 54_875 }))).toBe(0);
    expect(nextJoinPollDelay(at(57_900, { expected, lastSentMs: 57_900 }))).toBe(DENSE_DELAY_MS);
    expect(nextJoinPollDelay(at(60_000, { expected }))).toBe(1_000);
    expect(nextJoinPollDelay(at(120_000, { expected }))).toBe(BACKOFF_MAX_MS);
    // A window wider than 800 ms is looked through in four steps.
    const wide = window(50_000, 54_000);
    expect(nextJoinPollDelay(at(52_000, { expected: wide, lastSentMs: 52_000 }))).toBe(1_000);
  });

  it("without history, polls at a growing fraction of the time waited, at most 30 s apart", () => {
    expect(nextJoinPollDelay(at(0))).toBe(5_000);
    expect(nextJoinPollDelay(at(20_000))).toBe(10_000);
    expect(nextJoinPollDelay(at(300_000))).toBe(MAX_DELAY_MS);
  });

  it("without history, looks 2 s after the server is seen running, then 30% of the time since apart", () => {
    expect(nextJoinPollDelay(at(4_000, { runningAtMs: 4_000 }))).toBe(2_000 - 25);
    expect(nextJoinPollDelay(at(6_000, { runningAtMs: 4_000, lastSentMs: 6_000 }))).toBe(1_000);
    expect(nextJoinPollDelay(at(14_000, { runningAtMs: 4_000, lastSentMs: 14_000 }))).toBe(3_000);
    expect(nextJoinPollDelay(at(40_000, { runningAtMs: 4_000 }))).toBe(BACKOFF_MAX_MS);
    // A server seen running late (the watch is sparse) does not push an expected join back.
    const late = { runningAtMs: 99_000, expected: window(99_500), lastSentMs: 100_000 };
    expect(nextJoinPollDelay(at(100_000, late))).toBe(DENSE_DELAY_MS);
    expect(nextJoinPollDelay(at(41_000, { runningAtMs: 40_000, expected: window(55_000) }))).toBe(
      55_000 - 41_000 - 25,
    );
  });

  it("jitters each delay by up to 10% either way, and a landing by up to 50 ms early", () => {
    const dense = { expected: window(55_000), lastSentMs: 55_000 };
    expect(nextJoinPollDelay(at(55_000, { ...dense, random: 0 }))).toBe(180);
    expect(nextJoinPollDelay(at(55_000, { ...dense, random: 0.999_999 }))).toBe(220);
    expect(nextJoinPollDelay(at(20_000, { random: 0 }))).toBe(9_000);
    expect(nextJoinPollDelay(at(0, { expected: window(55_000), random: 0.999_999 }))).toBe(
      55_000 - LANDING_JITTER_MS,
    );
  });
});

describe("the join poll with the virtual clock", () => {
  it("sees a join in its expected window within 100 ms, in a few looks", async () => {
    const { lateMs, looks } = await seenAfter(55_000, { expected: window(54_800, 55_000) });
    expect(lateMs).toBeLessThanOrEqual(WINDOW_STEP_MS);
    expect(looks).toEqual([54_875, 54_975, 55_075]);
  });

  it("never misses a fast join by more than the longest delay after the server runs, whatever history says", async () => {
    for (const joinAtMs of [3_000, 7_000, 15_000, 30_000]) {
      const runningAtMs = Math.max(0, joinAtMs - 2_000);
      const { lateMs } = await seenAfter(joinAtMs, { expected: window(105_000), runningAtMs });
      expect(lateMs).toBeLessThanOrEqual(MAX_DELAY_MS);
    }
    const { lateMs } = await seenAfter(7_000, { expected: window(105_000), runningAtMs: 4_000 });
    expect(lateMs).toBeLessThanOrEqual(MAX_DELAY_MS);
  });

  it("sees a late join within the backoff cap", async () => {
    const { lateMs } = await seenAfter(200_000, { expected: window(55_000) });
    expect(lateMs).toBeLessThanOrEqual(BACKOFF_MAX_MS * 1.1);
  });

  it("sees a join soon after the server runs when nothing else is known, in few looks", async () => {
    const soon = await seenAfter(7_000, { runningAtMs: 4_000 });
    expect(soon.lateMs).toBeLessThanOrEqual(1_000);
    // 15 s after it runs: 30% late at most, in ten looks rather than dense ones.
    const later = await seenAfter(19_000, { runningAtMs: 4_000 });
    expect(later.lateMs).toBeLessThanOrEqual(15_000 * 0.3);
    expect(later.looks.filter((at) => at > 4_000).length).toBeLessThanOrEqual(10);
  });

  it("halves a wide window each run, down to a few looks within 100 ms of the join", async () => {
    // The run without history found the join 3 s late, its miss before that 2 s early.
    const history = createJoinHistory();
    const joinAtMs = 55_000;
    history.record(58_000, 53_000);
    const lates: number[] = [];
    const counts: number[] = [];
    for (let run = 0; run < 6; run++) {
      const { lateMs, looks } = await seenAfter(joinAtMs, { expected: history.expected() });
      const found = looks.at(-1) ?? Number.NaN;
      history.record(found, looks.at(-2));
      lates.push(lateMs);
      counts.push(looks.length);
    }
    // Aimed at the middle of 5 s, then of what is left: never later than a quarter of the first.
    for (const lateMs of lates.slice(0, 2)) expect(lateMs).toBeLessThanOrEqual(5_000 / 4);
    expect(lates[2]).toBeLessThanOrEqual(DENSE_DELAY_MS);
    for (const lateMs of lates.slice(3)) expect(lateMs).toBeLessThanOrEqual(WINDOW_STEP_MS);
    for (const count of counts) expect(count).toBeLessThanOrEqual(3);
  });
});

describe("createJoinHistory", () => {
  it("expects the join where the last runs' windows overlap", () => {
    const history = createJoinHistory();
    expect(history.expected()).toBeUndefined();
    history.record(57_000, 56_800);
    history.record(57_100, 56_900);
    expect(history.expected()).toEqual(window(56_900, 57_000));
  });

  it("keeps the latest run's window when the joins moved", () => {
    const history = createJoinHistory();
    history.record(57_000, 56_800);
    // Slower: its miss comes after the earlier find.
    history.record(70_000, 69_800);
    expect(history.expected()).toEqual(window(69_800, 70_000));
    // Sooner, found at the first look: no miss to bound it, so the window reaches 1 s back.
    history.record(50_000);
    expect(history.expected()).toEqual(window(50_000 - EARLY_WINDOW_MS, 50_000));
  });

  it("forgets all but the last four runs", () => {
    const history = createJoinHistory();
    history.record(40_000, 39_000);
    for (let run = 0; run < 4; run++) history.record(41_000, 39_800);
    expect(history.expected()).toEqual(window(39_800, 41_000));
  });

  it("takes a find at the first look as an upper bound only, keeping the earlier miss", () => {
    const history = createJoinHistory();
    history.record(109_500, 104_700);
    history.record(107_050);
    expect(history.expected()).toEqual(window(104_700, 107_050));
    history.record(105_900);
    expect(history.expected()).toEqual(window(104_700, 105_900));
  });

  it("ignores nonsense: no find, a negative one, a miss after the find", () => {
    const history = createJoinHistory();
    for (const found of [Number.NaN, -1]) history.record(found);
    expect(history.expected()).toBeUndefined();
    history.record(50_000, 60_000);
    expect(history.expected()).toEqual(window(49_000, 50_000));
  });
});
