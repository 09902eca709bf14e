import type { ScheduledFault } from "./fault-schedule.js";
import type { SimulatedClock } from "./types.js";
import type { World } from "./world.js";

/**
 * Waits out a `hang`: until the request's signal aborts (rejecting with its reason, as `fetch`
 * does), or the schedule's `hangMs` passes and the connection is dropped.
 */
export async function hangUntilReleased(
  clock: SimulatedClock,
  hangMs: number,
  signal: AbortSignal | null,
): Promise<Response> {
  await clock.sleep(hangMs, signal ?? undefined);
  return Response.error();
}

/** Applies what a scheduled fault does to the world before the request is answered. */
export async function applyBeforeAnswer(
  world: World,
  fault: ScheduledFault,
  request: Request,
): Promise<void> {
  if (fault.kind === "token-revoked") {
    const authorization = request.headers.get("authorization") ?? "";
    const token = authorization.startsWith("Bearer ") ? authorization.slice(7) : undefined;
    if (token !== undefined) world.tokens.delete(token);
  }
  if (fault.kind === "action-error") {
    world.faults.failNextAction.push({ command: "create_server", code: "action_failed" });
  }
  if (fault.kind === "device-never-joins") {
    const body = (await request
      .clone()
      .json()
      .catch(() => undefined)) as { name?: unknown } | undefined;
    if (typeof body?.name === "string") world.faults.deviceNeverJoins.push({ hostname: body.name });
  }
}

/** Undoes a create-only fault whose create was refused, so that it cannot hit a later request. */
export function withdrawUnused(world: World, fault: ScheduledFault, response: Response): void {
  if (fault.kind !== "action-error" || response.status === 201) return;
  const index = world.faults.failNextAction.findIndex(
    (candidate) => candidate.command === "create_server",
  );
  if (index !== -1) world.faults.failNextAction.splice(index, 1);
}
