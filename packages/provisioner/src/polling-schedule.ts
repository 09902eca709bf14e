/** Milliseconds from the create answer to the join, in the last runs of a scope. */
export interface JoinHistory {
  /**
   * The expected time from create answer to join, if any run was seen: the latest run's estimate,
   * or an earlier find of the last eight when that came sooner.
   */
  expectedMs(): number | undefined;
  /**
   * Records one run's join, seen `foundMs` after the create answer, with the last look that
   * missed it (`lastMissMs`, if any). The join lies between the two, so the run's estimate is their
   * midpoint, but never more than `EARLY_PULL_MS` before the find: a run that found the device at
   * its first dense look pulls the next run's window earlier, by up to that much at a time.
   */
  record(foundMs: number, lastMissMs?: number): void;
}

const HISTORY_SIZE = 8;
/** A run's estimate is never earlier than this before its find. */
export const EARLY_PULL_MS = 1_000;

export function createJoinHistory(): JoinHistory {
  const finds: number[] = [];
  let latestEstimate: number | undefined;
  return {
    expectedMs() {
      return latestEstimate === undefined ? undefined : Math.min(latestEstimate, ...finds);
    },
    record(foundMs, lastMissMs) {
      if (!Number.isFinite(foundMs) || foundMs < 0) return;
      // Without a miss the device was there at the first look: it joined after the create answered.
      const missed =
        lastMissMs !== undefined && Number.isFinite(lastMissMs) && lastMissMs < foundMs
          ? Math.max(0, lastMissMs)
          : 0;
      latestEstimate = Math.max(foundMs - EARLY_PULL_MS, (missed + foundMs) / 2);
      finds.push(foundMs);
      if (finds.length > HISTORY_SIZE) finds.shift();
    },
  };
}

/** What is known about a join when the next device poll is planned. */
export interface JoinSchedule {
  /** Milliseconds since the create answered. */
  elapsedMs: number;
  /** The scope's expected time from create answer to join, if earlier runs saw one. */
  expectedMs: number | undefined;
  /** When (since the create answered) the server was seen running, if it was; used without history. */
  runningAtMs: number | undefined;
  /** A number in [0, 1): spreads a fleet's polls apart. */
  random: number;
}

/** Dense polling starts this long before the expected join. */
export const LEAD_MS = 300;
/** How long past the expected join polling stays dense. */
export const DENSE_WINDOW_MS = 3_000;
/** The delay between polls around the expected join. */
export const DENSE_DELAY_MS = 200;
/**
 * No delay is longer once the server is seen running (or while nothing is expected): a join
 * earlier than expected is seen within this much of the server running.
 */
export const MAX_DELAY_MS = 30_000;
/** Without history or a running server, the wait polls at this fraction of the time elapsed. */
const UNKNOWN_FRACTION = 0.4;
const UNKNOWN_MIN_DELAY_MS = 1_000;
/** A device joins at the earliest this long after its server runs, when no run has been seen. */
export const JOIN_AFTER_RUNNING_MS = 2_000;
/** After the dense window the delay is this fraction of the time past it, up to `BACKOFF_MAX_MS`. */
const BACKOFF_FRACTION = 0.5;
export const BACKOFF_MAX_MS = 5_000;
const JITTER = 0.1;
const LANDING_JITTER_MS = 200;

/**
 * The delay before the next device poll: sparse until shortly before the join can be expected
 * (from the scope's earlier runs, or from the server being seen running), dense (sub-second)
 * around it, then backing off. Every delay is jittered (up to 10%, or up to 200 ms early when it
 * lands on the dense window). Before the server is seen running no device can join, so a wait that
 * expects a join sleeps straight to the dense window; once it runs (the caller plans again then)
 * no delay is longer than `MAX_DELAY_MS`.
 */
export function nextJoinPollDelay(schedule: JoinSchedule): number {
  const { elapsedMs } = schedule;
  const expected = expectedJoinMs(schedule);
  const jitter = 1 + JITTER * (2 * schedule.random - 1);
  if (expected === undefined) {
    const delay = Math.max(UNKNOWN_MIN_DELAY_MS, UNKNOWN_FRACTION * elapsedMs);
    return Math.round(Math.min(MAX_DELAY_MS, delay) * jitter);
  }
  const denseFrom = expected - LEAD_MS;
  if (elapsedMs < denseFrom) {
    // Land the next look at the start of the dense window, a little early rather than late.
    const untilDense = denseFrom - elapsedMs;
    const capped =
      schedule.runningAtMs === undefined ? untilDense : Math.min(MAX_DELAY_MS, untilDense);
    const delay = capped - LANDING_JITTER_MS * schedule.random;
    return Math.max(DENSE_DELAY_MS, Math.round(delay));
  }
  const pastWindow = elapsedMs - (expected + DENSE_WINDOW_MS);
  if (pastWindow < 0) return Math.round(DENSE_DELAY_MS * jitter);
  const delay = Math.min(BACKOFF_MAX_MS, Math.max(DENSE_DELAY_MS, BACKOFF_FRACTION * pastWindow));
  return Math.round(delay * jitter);
}

function expectedJoinMs(schedule: JoinSchedule): number | undefined {
  const { expectedMs, runningAtMs } = schedule;
  // The watch sees the server running up to one of its sparse polls late, so it only stands in
  // for history, never moves it: a join cannot come before the server runs.
  if (expectedMs !== undefined || runningAtMs === undefined) return expectedMs;
  return runningAtMs + JOIN_AFTER_RUNNING_MS;
}
