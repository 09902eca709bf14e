import { poll } from "@tailvm/internal";
import type { ClientContext } from "./client-context";
import { HetznerActionError, HetznerError, HetznerInputError, HetznerTimeoutError } from "./errors";
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
  signal?: AbortSignal | undefined;
  /**
   * Deadline for all actions together, measured with the client's clock; it also aborts a poll in
   * flight. Default 600 000 ms (10 minutes).
   */
  timeoutMs?: number | undefined;
  /** First delay between polls. Default 1000 ms; each later delay is 1.5 times longer. */
  initialIntervalMs?: number | undefined;
  /** Cap on the delay between polls. Default 10 000 ms. */
  maxIntervalMs?: number | undefined;
}

/** Ids per `GET /actions` request (Hetzner's page size). */
const IDS_PER_REQUEST = 50;

/**
 * Polls `GET /actions?id=..&id=..` (all ids in one request, up to 50 per request) with a growing
 * interval until every action succeeded, and resolves with them in the order of `ids`.
 *
 * Throws `HetznerActionError` as soon as one action has status `"error"`, `HetznerTimeoutError`
 * when `timeoutMs` passes (even in the middle of a poll that gets no answer, or of the client's
 * retries and rate-limit waits), and `signal.reason` when `signal` aborts. A poll that fails with
 * a retryable error is polled again after the next interval; the last such error becomes the
 * `cause` of the timeout error. Other errors (401, 404, ...) are thrown at once.
 */
export async function waitForActions(
  context: ClientContext,
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
  for (const [field, value] of [
    ["timeoutMs", timeoutMs],
    ["initialIntervalMs", options.initialIntervalMs],
    ["maxIntervalMs", options.maxIntervalMs],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new HetznerInputError(field, `expected a positive number, got ${value}`);
    }
  }
  const maxInterval = options.maxIntervalMs ?? 10_000;
  let interval = options.initialIntervalMs ?? 1_000;
  const finished = new Map<number, Action>();

  return poll({
    clock: context.clock,
    signal: options.signal,
    timeoutMs,
    check: async (signal) => {
      await pollOnce(context, wanted, finished, signal);
      if (finished.size < wanted.length) return undefined;
      return {
        value: wanted.map((id) => finished.get(id)).filter((action) => action !== undefined),
      };
    },
    nextDelayMs: () => {
      const delay = interval;
      interval = Math.min(maxInterval, Math.round(interval * 1.5));
      return delay;
    },
    isTransient: (error) => error instanceof HetznerError && error.isRetryable,
    timeoutError: (lastError) => {
      const running = wanted.filter((id) => !finished.has(id));
      return new HetznerTimeoutError(
        `Hetzner action${running.length === 1 ? "" : "s"} ${running.join(", ")} still running after ${timeoutMs} ms${lastError === undefined ? "" : ", and the last poll failed (see cause)"}. Raise timeoutMs or check the resources in the Hetzner Console.`,
        timeoutMs,
        lastError === undefined ? {} : { cause: lastError },
      );
    },
  });
}

/** One round of `GET /actions` for the ids not finished yet; records those that succeeded. */
async function pollOnce(
  context: ClientContext,
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
