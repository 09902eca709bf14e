import type { Client } from "openapi-fetch";
import type { Clock } from "./clock";
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
  /** Deadline for all actions together. Default 600 000 ms (10 minutes). */
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
 * when `timeoutMs` passes, and `signal.reason` when `signal` aborts.
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
  const { clock, signal } = { clock: context.clock, signal: options.signal };
  const deadline = clock.now() + timeoutMs;
  const maxInterval = options.maxIntervalMs ?? 10_000;
  let interval = options.initialIntervalMs ?? 1_000;
  const finished = new Map<number, Action>();

  for (;;) {
    signal?.throwIfAborted();
    const pending = wanted.filter((id) => !finished.has(id));
    for (let start = 0; start < pending.length; start += IDS_PER_REQUEST) {
      const batch = pending.slice(start, start + IDS_PER_REQUEST);
      const data = context.unwrap(
        await context.api.GET("/actions", {
          params: { query: { id: batch } },
          ...(signal === undefined ? {} : { signal }),
        }),
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
    if (finished.size === wanted.length) {
      return wanted.map((id) => finished.get(id)).filter((action) => action !== undefined);
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      const running = wanted.filter((id) => !finished.has(id));
      throw new HetznerTimeoutError(
        `Hetzner action${running.length === 1 ? "" : "s"} ${running.join(", ")} still running after ${timeoutMs} ms. Raise timeoutMs or check the resources in the Hetzner Console.`,
        timeoutMs,
      );
    }
    await clock.sleep(Math.min(interval, remaining), signal);
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}
