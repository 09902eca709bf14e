import { isAbortOf, raceSignal } from "@tailvm/internal";
import {
  type CreatedAuthKey,
  isTailscaleApiError,
  TailscaleNetworkError,
  TailscaleTimeoutError,
} from "@tailvm/tailscale-client";
import type { ResolvedOptions } from "../resolve-options.js";
import { createsServer, type Step } from "./step.js";

/** Extra validity of the auth key beyond the time the server may take to boot and join. */
export const AUTH_KEY_MARGIN_SECONDS = 120;

/** The key a run mints: single use, pre-authorised, tagged, and only as long-lived as the run's waits. */
export interface AuthKeySpec {
  tags: string[];
  ephemeral: boolean;
  preauthorized: true;
  reusable: false;
  expirySeconds: number;
  description: string;
}

export function authKeySpec(options: ResolvedOptions): AuthKeySpec {
  const waitSeconds =
    Math.min(options.timeouts.total, options.timeouts.serverRunning + options.timeouts.deviceJoin) /
    1000;
  return {
    tags: options.tags,
    ephemeral: options.ephemeral,
    preauthorized: true,
    reusable: false,
    expirySeconds: Math.ceil(waitSeconds) + AUTH_KEY_MARGIN_SECONDS,
    description: `tailvm ${options.name}`.slice(0, 50).replace(/[^A-Za-z0-9 -]/g, "-"),
  };
}

/**
 * Whether a failed key request may still have minted a key: a 5xx or a lost answer to the mint
 * itself, not to the OAuth token request that comes before it.
 */
export function keyMintMayHaveApplied(error: unknown): boolean {
  const path = (error as { path?: unknown } | undefined)?.path;
  if (typeof path === "string" && !path.endsWith("/keys")) return false;
  return (
    error instanceof TailscaleNetworkError ||
    error instanceof TailscaleTimeoutError ||
    (isTailscaleApiError(error) && error.status >= 500)
  );
}

/**
 * Mints the key the server joins with. The request is raced against the run's signal but sent
 * with the create signal: a mint abandoned mid-request is awaited (and revoked) by rollback.
 */
export const authKeyStep: Step<"auth-key", AuthKeySpec> = {
  phase: "auth-key",
  creates: ["auth-key"],
  parameters: authKeySpec,
  applies: createsServer,
  async run({ run, parameters }) {
    const pending = run.tailscale.createAuthKey({ ...parameters, signal: run.createSignal });
    run.authKeyRequested(pending);
    let created: CreatedAuthKey;
    try {
      created = await raceSignal(pending, run.signal);
    } catch (error) {
      // Still in flight: rollback awaits it. Settled with an error: a key was made only if
      // Tailscale may have applied the request before failing.
      if (!isAbortOf(error, run.signal)) run.authKeyRequestFailed(keyMintMayHaveApplied(error));
      throw error;
    }
    run.authKeyCreated(created);
    return created.key;
  },
};
