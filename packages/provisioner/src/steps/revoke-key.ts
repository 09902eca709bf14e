import { errorMessage } from "@tailvm/internal";
import { deleteAuthKey } from "../client-deletes.js";
import type { Step } from "./step.js";

/** Revokes the auth key once the device has joined; a key that cannot be revoked expires soon. */
export const revokeKeyStep: Step<"revoke-key", Record<string, never>> = {
  phase: "revoke-key",
  creates: [],
  parameters: () => ({}),
  applies: (results) => results["auth-key"] !== undefined,
  async run({ run }) {
    const keyId = run.resources.keyId;
    if (keyId === undefined) return undefined;
    try {
      if (await deleteAuthKey(run.tailscale, keyId, run.signal)) {
        run.reporter.emit({ type: "resource-deleted", resource: "auth-key", id: keyId });
      }
    } catch (error) {
      run.reporter.emit({
        type: "warning",
        phase: "revoke-key",
        message: `could not revoke auth key ${keyId} (it expires on its own): ${errorMessage(error)}`,
      });
    }
    run.authKeyReleased();
    return undefined;
  },
};
