import { type Action, HetznerActionError, type HetznerClient } from "@tailvm/hetzner-client";
import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import type { Run } from "../run.js";
import { nextWatchDelayMs, projectedFinishAt, watchCreate } from "./watch-create.js";

const START = Date.parse("2030-01-01T00:00:00Z");
const running = (progress: number, startedAt = START) => ({
  status: "running" as const,
  progress,
  started: new Date(startedAt).toISOString(),
});
const done = { status: "success" as const, progress: 100, started: new Date(START).toISOString() };

describe("projectedFinishAt", () => {
  it("projects the slowest running action's progress from its start", () => {
    // 15 s in: create_server is done, start_server at 37 % of a 40 s boot.
    expect(projectedFinishAt([done, running(37)], START + 15_000, START + 1_000)).toBeCloseTo(
      START + 40_540,
      -1,
    );
    expect(projectedFinishAt([running(50), running(25)], START + 10_000, START)).toBe(
      START + 40_000,
    );
  });

  it("knows nothing while an action shows no progress, and nothing is left once all succeeded", () => {
    expect(projectedFinishAt([running(0), running(50)], START + 1_000, START)).toBeUndefined();
    expect(projectedFinishAt([done, done], START + 5_000, START)).toBe(START + 5_000);
  });

  it("measures from the create answer when the start time is unreadable or ahead of the clock", () => {
    const ahead = running(50, START + 60_000);
    expect(projectedFinishAt([ahead], START + 10_000, START)).toBe(START + 20_000);
    const unreadable = { status: "running" as const, progress: 50, started: "soon" };
    expect(projectedFinishAt([unreadable], START + 10_000, START)).toBe(START + 20_000);
  });
});

describe("nextWatchDelayMs", () => {
  it("looks again 200 ms after the projected finish, 1 s to 30 s away", () => {
    expect(nextWatchDelayMs(START + 40_540, START + 15_000, 0)).toBe(25_740);
    expect(nextWatchDelayMs(START + 15_100, START + 15_000, 0)).toBe(1_000);
    expect(nextWatchDelayMs(START + 90_000, START + 15_000, 0)).toBe(30_000);
  });

  it("without progress, looks at 15 s, then 1.5x sparser, at most 30 s apart", () => {
    expect([0, 1, 2, 3].map((looks) => nextWatchDelayMs(undefined, START, looks))).toEqual([
      15_000, 22_500, 30_000, 30_000,
    ]);
  });
});

describe("watchCreate", () => {
  const action = (id: number, status: Action["status"], progress = 0) =>
    ({ id, status, progress, started: new Date(START).toISOString() }) as Action;

  /** A run whose `GET /actions` answers from `answers` in turn, recording when each look came. */
  function watchedRun(answers: Action[][]) {
    const clock = createVirtualClock({ start: START });
    const looks: number[] = [];
    const hetzner = {
      api: {
        GET: async () => {
          looks.push(clock.now() - START);
          return { data: { actions: answers.shift() ?? [] } };
        },
      },
      unwrap: (answer: { data: unknown }) => answer.data,
    } as unknown as HetznerClient;
    return { run: { clock, hetzner } as unknown as Run, looks };
  }
  const never = new AbortController().signal;

  it("takes the create's answer as its first look, then looks only when it can learn something", async () => {
    const { run, looks } = watchedRun([
      [action(1, "success", 100), action(2, "running", 50)],
      [action(1, "success", 100), action(2, "success", 100)],
    ]);
    const actions = await watchCreate(
      run,
      [action(1, "running"), action(2, "running")],
      never,
      600_000,
    );
    expect(actions.map((item) => item.status)).toEqual(["success", "success"]);
    // No progress in the create's answer: sparse; then right after the finish 50 % projects.
    expect(looks).toEqual([15_000, 30_200]);
  });

  it("fails at once, without a request, when the create answered with a failed action", async () => {
    const { run, looks } = watchedRun([]);
    const failed = {
      ...action(1, "error"),
      error: { code: "server_create_failed", message: "no" },
    };
    await expect(watchCreate(run, [failed], never, 600_000)).rejects.toBeInstanceOf(
      HetznerActionError,
    );
    expect(looks).toEqual([]);
  });
});
