/**
 * When, in milliseconds after the create answered, a device look has to be sent to see the join:
 * the last look that missed it went out before `fromMs`, the first that found it by `toMs`.
 */
export interface JoinWindow {
  fromMs: number;
  toMs: number;
}

/** The joins of a scope's last runs, each as the window its looks bracketed it in. */
export interface JoinHistory {
  /**
   * The window the next join is expected in: after the latest miss and by the earliest find of
   * the last runs (the join took as long each time), else the latest run's alone when the joins
   * moved. `undefined` before any run was seen.
   */
  expected(): JoinWindow | undefined;
  /**
   * Records one run's join: the look that found the device was sent `foundMs` after the create
   * answered, the last look that missed it `missedMs` after. A run that found it at its first look
   * (no miss before the find) bounds it from above only; alone, its window reaches
   * `EARLY_WINDOW_MS` before the find.
   */
  record(foundMs: number, missedMs?: number): void;
}

const HISTORY_SIZE = 4;
/** How far before a find at the first look the join is looked for in the next run. */
export const EARLY_WINDOW_MS = 1_000;

/** One run's join: a look sent at `toMs` found it; one sent at `fromMs` missed it, if any did. */
interface Bracket {
  fromMs: number | undefined;
  toMs: number;
}

/** The window of a bracket alone: without a miss, it reaches `EARLY_WINDOW_MS` before the find. */
function windowOf({ fromMs, toMs }: Bracket): JoinWindow {
  return { fromMs: fromMs ?? Math.max(0, toMs - EARLY_WINDOW_MS), toMs };
}

export function createJoinHistory(): JoinHistory {
  const brackets: Bracket[] = [];
  return {
    expected() {
      const latest = brackets.at(-1);
      if (latest === undefined) return undefined;
      const toMs = Math.min(...brackets.map((bracket) => bracket.toMs));
      const misses = brackets.flatMap((bracket) => bracket.fromMs ?? []);
      if (misses.length === 0) return windowOf({ fromMs: undefined, toMs });
      const fromMs = Math.max(...misses);
      // The joins moved (a miss after another run's find): only the latest run says where.
      return fromMs < toMs ? { fromMs, toMs } : windowOf(latest);
    },
    record(foundMs, missedMs) {
      if (!Number.isFinite(foundMs) || foundMs < 0) return;
      const missed =
        missedMs !== undefined && Number.isFinite(missedMs) && missedMs < foundMs
          ? Math.max(0, missedMs)
          : undefined;
      brackets.push({ fromMs: missed, toMs: foundMs });
      if (brackets.length > HISTORY_SIZE) brackets.shift();
    },
  };
}

/** What is known about a join when the next device poll is planned. */
export interface JoinSchedule {
  /** Milliseconds since the create answered. */
  elapsedMs: number;
  /**
   * When the last look was sent (ms since the create answered), if one was: dense looks are
   * spaced from it, however long its answer took.
   */
  lastSentMs: number | undefined;
  /** The window the scope's earlier runs lead it to expect the join in, if they saw one. */
  expected: JoinWindow | undefined;
  /** When (since the create answered) the server was seen running, if it was; used without history. */
  runningAtMs: number | undefined;
  /** A number in [0, 1): spreads a fleet's polls apart. */
  random: number;
}

/** How long past the expected window polling stays dense. */
export const DENSE_WINDOW_MS = 3_000;
/** The time between the sends of two looks around the expected join. */
export const DENSE_DELAY_MS = 200;
/** Within a narrow expected window, looks are sent this close together. */
export const WINDOW_STEP_MS = 100;
/** A wider window is looked through in this many steps, so one run narrows it fourfold. */
const STEPS_PER_WINDOW = 4;
/**
 * No delay is longer once the server is seen running (or while nothing is expected): a join
 * earlier than expected is seen within this much of the server running.
 */
export const MAX_DELAY_MS = 30_000;
/**
 * Without history or a running server, the wait looks at this fraction of the time elapsed, 5 s
 * at first: a device cannot join before its server runs, and the watch plans the looks again then.
 */
const UNKNOWN_FRACTION = 0.5;
const UNKNOWN_MIN_DELAY_MS = 5_000;
/** A device joins at the earliest this long after its server runs, when no run has been seen. */
export const JOIN_AFTER_RUNNING_MS = 2_000;
/** After the dense window the delay is this fraction of the time past it, up to `BACKOFF_MAX_MS`. */
const BACKOFF_FRACTION = 0.5;
/** Without history, looks after the server runs are this fraction of the time since apart. */
const COLD_FRACTION = 0.3;
export const BACKOFF_MAX_MS = 5_000;
const JITTER = 0.1;
export const LANDING_JITTER_MS = 50;

/**
 * The delay before the next device poll. Sparse until the window the join is expected in (from
 * the scope's earlier runs, or from the server being seen running); the first look into it aims
 * at its middle (up to 50 ms early), so that a find there halves the window for the next run and
 * a miss is followed one step later. Dense through the window (looks sent 100 ms apart, or a
 * quarter of a wider window) and 200 ms apart for a while after, then backing off; each delay is
 * jittered by up to 10%. Before the server is seen running no device can join, so a wait that
 * expects a join sleeps straight to the window; once it runs (the caller plans again then) no
 * delay is longer than `MAX_DELAY_MS`. Without history, the first look is 2 s after the server is
 * seen running, and the next ones 30% of the time since it runs apart (1 s to 5 s).
 */
export function nextJoinPollDelay(schedule: JoinSchedule): number {
  const { elapsedMs, lastSentMs } = schedule;
  const window = expectedWindow(schedule);
  const jitter = 1 + JITTER * (2 * schedule.random - 1);
  if (window === undefined) {
    const delay = Math.max(UNKNOWN_MIN_DELAY_MS, UNKNOWN_FRACTION * elapsedMs);
    return Math.round(Math.min(MAX_DELAY_MS, delay) * jitter);
  }
  const aimMs = (window.fromMs + window.toMs) / 2;
  // The look that landed on the aim (early by its jitter) counts as in the window.
  const lookedIn = lastSentMs !== undefined && lastSentMs >= aimMs - LANDING_JITTER_MS;
  if (!lookedIn && elapsedMs < aimMs) {
    const untilAim = aimMs - elapsedMs;
    const capped = schedule.runningAtMs === undefined ? untilAim : Math.min(MAX_DELAY_MS, untilAim);
    return Math.max(0, Math.round(capped - LANDING_JITTER_MS * schedule.random));
  }
  if (schedule.expected === undefined && schedule.runningAtMs !== undefined) {
    // Known only from the server running: no window to be dense in, so back off from it.
    const sinceRunning = elapsedMs - schedule.runningAtMs;
    const delay = Math.min(BACKOFF_MAX_MS, Math.max(1_000, COLD_FRACTION * sinceRunning));
    return Math.round(delay * jitter);
  }
  if (elapsedMs < window.toMs + DENSE_WINDOW_MS) {
    const step =
      elapsedMs < window.toMs
        ? Math.max(WINDOW_STEP_MS, (window.toMs - window.fromMs) / STEPS_PER_WINDOW)
        : DENSE_DELAY_MS;
    const spacedFrom = lastSentMs ?? elapsedMs;
    return Math.max(0, Math.round(spacedFrom + step * jitter - elapsedMs));
  }
  const pastWindow = elapsedMs - (window.toMs + DENSE_WINDOW_MS);
  const delay = Math.min(BACKOFF_MAX_MS, Math.max(DENSE_DELAY_MS, BACKOFF_FRACTION * pastWindow));
  return Math.round(delay * jitter);
}

function expectedWindow(schedule: JoinSchedule): JoinWindow | undefined {
  const { expected, runningAtMs } = schedule;
  // The watch sees the server running up to one of its sparse looks late, so it only stands in
  // for history, never moves it: a join cannot come before the server runs.
  if (expected !== undefined || runningAtMs === undefined) return expected;
  const joinMs = runningAtMs + JOIN_AFTER_RUNNING_MS;
  return { fromMs: joinMs, toMs: joinMs };
}
