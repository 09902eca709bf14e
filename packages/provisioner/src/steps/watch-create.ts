import { type Action, HetznerActionError, HetznerError } from "@tailvm/hetzner-client";
import { poll } from "@tailvm/internal";
import { DeadlineExceededError } from "../deadline-exceeded-error.js";
import type { Run } from "../run.js";

/** Without progress to go by, the create's actions are looked at this sparsely, growing 1.5x. */
const SPARSE_FIRST_DELAY_MS = 15_000;
const SPARSE_MAX_DELAY_MS = 30_000;
/** A look planned from progress lands this long after the projected finish. */
const FINISH_MARGIN_MS = 200;
/** A projected finish never brings two looks closer than this. */
const MIN_DELAY_MS = 1_000;

type ActionProgress = Pick<Action, "status" | "progress" | "started">;

/**
 * When (clock ms) the slowest running action should finish, projecting its progress since it
 * started (its `started` time, or the create answer's when that is unreadable or ahead of `now`);
 * `undefined` while one shows no progress. Hetzner rounds progress down, so the projection errs
 * late rather than early.
 */
export function projectedFinishAt(
  actions: readonly ActionProgress[],
  now: number,
  createAnsweredAt: number,
): number | undefined {
  let latest = now;
  for (const action of actions) {
    if (action.status !== "running") continue;
    if (!(action.progress > 0)) return undefined;
    const parsed = Date.parse(action.started);
    const started = Number.isFinite(parsed) && parsed <= now ? parsed : createAnsweredAt;
    latest = Math.max(latest, started + ((now - started) * 100) / Math.min(100, action.progress));
  }
  return latest;
}

/**
 * The delay before the next look at the create's actions: right after the finish their progress
 * projects (at least 1 s, at most 30 s away), else sparse (15 s, then 1.5x longer each time, at
 * most 30 s). The watch only fails fast and marks the end of the boot; the device wait beside it
 * never waits for it.
 */
export function nextWatchDelayMs(finishAt: number | undefined, now: number, sparseLooks: number) {
  if (finishAt === undefined) {
    return Math.min(SPARSE_MAX_DELAY_MS, Math.round(SPARSE_FIRST_DELAY_MS * 1.5 ** sparseLooks));
  }
  const delay = finishAt + FINISH_MARGIN_MS - now;
  return Math.round(Math.min(SPARSE_MAX_DELAY_MS, Math.max(MIN_DELAY_MS, delay)));
}

/**
 * One look at the create's actions (`GET /actions?id=…`), in the order of `actionIds`; throws a
 * `HetznerError` for one Hetzner no longer knows (the server may have been deleted).
 */
export async function readActions(
  run: Run,
  actionIds: readonly number[],
  signal: AbortSignal,
): Promise<Action[]> {
  const answer = run.hetzner.unwrap(
    await run.hetzner.api.GET("/actions", { params: { query: { id: [...actionIds] } }, signal }),
  );
  return actionIds.map((id) => {
    const action = answer.actions.find((candidate) => candidate.id === id);
    if (action === undefined) {
      throw new HetznerError(
        `Hetzner action ${id} of the server's create was not found: the server may have been deleted.`,
      );
    }
    return action;
  });
}

/** The actions once all succeeded; throws `HetznerActionError` for the first that failed. */
function settled(actions: Action[]): { value: Action[] } | undefined {
  const failed = actions.find((action) => action.status === "error");
  if (failed) throw new HetznerActionError(failed);
  return actions.every((action) => action.status === "success") ? { value: actions } : undefined;
}

/**
 * Watches the create's actions until all succeeded (the server runs), throwing
 * `HetznerActionError` as soon as one fails. The create's answer is the first look (an action
 * that failed on the spot fails now, without a request); the later ones follow
 * `nextWatchDelayMs`.
 */
export function watchCreate(
  run: Run,
  created: readonly Action[],
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Action[]> {
  const { clock } = run;
  const createAnsweredAt = clock.now();
  const actionIds = created.map((action) => action.id);
  let latest: Action[] = [...created];
  let sparseLooks = 0;
  let looks = 0;
  return poll<Action[]>({
    clock,
    signal,
    timeoutMs,
    check: async (pollSignal) => {
      looks += 1;
      if (looks === 1) return settled(latest);
      latest = await readActions(run, actionIds, pollSignal);
      return settled(latest);
    },
    nextDelayMs: () => {
      const now = clock.now();
      const finishAt = projectedFinishAt(latest, now, createAnsweredAt);
      const delay = nextWatchDelayMs(finishAt, now, sparseLooks);
      if (finishAt === undefined) sparseLooks += 1;
      return delay;
    },
    isTransient: (error) => error instanceof HetznerError && error.isRetryable,
    timeoutError: () => new DeadlineExceededError("serverRunning", timeoutMs),
  });
}
