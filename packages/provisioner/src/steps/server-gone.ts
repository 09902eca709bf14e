import { isHetznerApiError, type Server } from "@tailvm/hetzner-client";
import { StepFailure } from "../classify-failure.js";
import type { Run } from "../run.js";

/** While the device has not joined, the server is looked at this often, only to fail fast. */
export const SERVER_LOOK_EVERY_MS = 30_000;

/** Why a server can no longer bring its device onto the tailnet, if it cannot. */
export function serverGoneReason(server: Pick<Server, "id" | "name" | "status">) {
  if (server.status === "off" || server.status === "stopping" || server.status === "deleting") {
    return `server ${server.name} (${server.id}) is ${server.status}: it was shut down or deleted before its device joined the tailnet.`;
  }
  return undefined;
}

/**
 * Looks at the server every 30 s until `signal` aborts, and throws a `server_gone` failure as
 * soon as it is deleted, stopping or off: its device can no longer join, so the wait need not run
 * to its deadline. Any other answer, or a failed look, waits for the next look.
 */
export async function watchForServerGone(
  run: Run,
  server: Server,
  signal: AbortSignal,
): Promise<never> {
  for (;;) {
    await run.clock.sleep(SERVER_LOOK_EVERY_MS, signal);
    let reason: string | undefined;
    try {
      reason = serverGoneReason(await run.hetzner.getServer(server.id, { signal }));
    } catch (error) {
      if (signal.aborted) throw error;
      if (isHetznerApiError(error, "not_found")) {
        reason = `server ${server.name} (${server.id}) was deleted before its device joined the tailnet.`;
      }
    }
    if (reason !== undefined) {
      throw new StepFailure("server_gone", `${reason} Provision again for a new one.`, {
        isRetryable: true,
      });
    }
  }
}
