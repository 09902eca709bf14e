import type { Client } from "openapi-fetch";
import type { Clock } from "./clock";
import { startDeadline } from "./deadline";
import { HetznerActionError, HetznerError, HetznerInputError, HetznerTimeoutError } from "./errors";
import type { paths } from "./generated/hetzner";
import type { Action } from "./types";

/**
 * Options of `waitForAction`.
 *
 * @example
 * ```ts
 * await hetzner.waitForAction([1, 2], { timeoutMs: 120_000, signal: AbortSignal.timeout(150_000) });
 * ```
 */
export interface WaitForActionOptions {
  signal?: AbortSignal;
  /**
   * Deadline for all actions together, measured with the client's clock; it also aborts a poll in
   * flight. Default 600 000 ms (10 minutes).
   */
  timeoutMs?: number;
  /** First delay between polls. Default 1000 ms; each later delay is 1.5 times longer. */
  initialIntervalMs?: number;
  /** Cap on the delay between polls. Default 10 000 ms. */
  maxIntervalMs?: number;
}

/** Ids per `GET /actions` request (Hetzner's page size). */
const IDS_PER_REQUEST = 50;

interface WaitContext {
  api: Client<paths>;
  clock: Clock;
  unwrap: <Data>(result: { data?: Data; error?: unknown; response: Response }) => Data;
}

/**
 * Polls `GET /actions?id=..&id=..` (all ids in one request, up to 50 per request) with a growing
 * interval until every action succeeded, and resolves with them in the order of `ids`.
 *
 * Throws `HetznerActionError` as soon as one action has status `"error"`, `HetznerTimeoutError`
 * when `timeoutMs` passes (even in the middle of a poll that gets no answer, or of the client's
 * retries and rate-limit waits), and `signal.reason` when `signal` aborts. A poll that fails with
 * a retryable error (a 5xx, a 429 after the client's own retries, a network error) is polled
 * again after the next interval; the last such error becomes the `cause` of the timeout error.
 * Other errors (401, 404, ...) are thrown at once.
 *
 * @example
 * ```ts
 * const { action, nextActions } = await hetzner.createServer(body);
 * await waitForActions(context, [action.id, ...nextActions.map((next) => next.id)]);
 * ```
 */
export async function waitForActions(
  context: WaitContext,
  ids: number | readonly number[],
  options: WaitForActionOptions = {},
): Promise<Action[]> {
  const wanted = [...new Set(typeof ids === "number" ? [ids] : ids)];
  for (const id of wanted) {
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new HetznerInputError("ids", `expected positive integer action ids, got ${String(id)}`);
    }
  }
  const timeoutMs = options.timeoutMs ?? 600_000;
  if (!(timeoutMs > 0)) {
    throw new HetznerInputError("timeoutMs", `expected a positive number, got ${timeoutMs}`);
  }
  const { clock } = context;
  const { signal } = options;
  signal?.throwIfAborted();
  const maxInterval = options.maxIntervalMs ?? 10_000;
  let interval = options.initialIntervalMs ?? 1_000;
  const finished = new Map<number, Action>();
  let lastError: HetznerError | undefined;
  const deadline = startDeadline(clock, timeoutMs);
  const pollSignal =
    signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]);

  const timeout = () => {
    const running = wanted.filter((id) => !finished.has(id));
    const lastPoll = lastError === undefined ? "" : ` The last poll failed: ${lastError.message}`;
    return new HetznerTimeoutError(
      `Hetzner action${running.length === 1 ? "" : "s"} ${running.join(", ")} still running after ${timeoutMs} ms. Raise timeoutMs or check the resources in the Hetzner Console.${lastPoll}`,
      timeoutMs,
      lastError === undefined ? {} : { cause: lastError },
    );
  };
  /** What to throw when a poll or a sleep failed: the caller's reason, a timeout, or the error. */
  const stopped = (error: unknown): unknown => {
    if (signal?.aborted) return signal.reason;
    if (deadline.signal.aborted) return timeout();
    return error;
  };

  try {
    for (;;) {
      try {
        await pollOnce(context, wanted, finished, pollSignal);
        lastError = undefined;
      } catch (error) {
        if (signal?.aborted || deadline.signal.aborted) throw stopped(error);
        if (!(error instanceof HetznerError && error.isRetryable)) throw error;
        lastError = error;
      }
      if (finished.size === wanted.length) {
        return wanted.map((id) => finished.get(id)).filter((action) => action !== undefined);
      }
      const remaining = deadline.at - clock.now();
      if (remaining <= 0) throw timeout();
      try {
        await clock.sleep(Math.min(interval, remaining), pollSignal);
      } catch (error) {
        throw stopped(error);
      }
      if (deadline.signal.aborted || clock.now() >= deadline.at) throw timeout();
      interval = Math.min(maxInterval, Math.round(interval * 1.5));
    }
  } finally {
    deadline.dispose();
  }
}

/** One round of `GET /actions` for the ids not finished yet; records those that succeeded. */
async function pollOnce(
  context: WaitContext,
  wanted: readonly number[],
  finished: Map<number, Action>,
  signal: AbortSignal,
): Promise<void> {
  const pending = wanted.filter((id) => !finished.has(id));
  for (let start = 0; start < pending.length; start += IDS_PER_REQUEST) {
    const batch = pending.slice(start, start + IDS_PER_REQUEST);
    const data = context.unwrap(
      await context.api.GET("/actions", { params: { query: { id: batch } }, signal }),
    );
    for (const id of batch) {
      const action = data.actions.find((candidate) => candidate.id === id);
      if (action === undefined) {
        throw new HetznerError(
          `Hetzner action ${id} was not found. Check the id; actions of deleted resources disappear.`,
        );
      }
      if (action.status === "error") throw new HetznerActionError(action);
      if (action.status === "success") finished.set(id, action);
    }
  }
}
