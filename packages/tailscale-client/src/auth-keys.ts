import { buildCreateKeyBody } from "./auth-key-request.js";
import { type ClientContext, expectOk, requireId, signalOption } from "./client-context.js";
import type { TailscaleClient } from "./client-types.js";
import { TailscaleError } from "./errors.js";

/** The auth key helpers of a client. */
export function authKeyHelpers(
  context: ClientContext,
): Pick<TailscaleClient, "createAuthKey" | "getAuthKey" | "deleteAuthKey"> {
  const { api, tailnet, clock, redactor } = context;
  return {
    async createAuthKey(options) {
      const body = buildCreateKeyBody(options, { usesOAuth: context.auth === "oauth" });
      const result = await api.POST("/tailnet/{tailnet}/keys", {
        params: { path: { tailnet } },
        body,
        ...signalOption(options.signal),
      });
      const data = expectOk(context, result);
      if (typeof data?.id !== "string" || typeof data.key !== "string") {
        throw new TailscaleError(
          `Tailscale answered POST /tailnet/${encodeURIComponent(tailnet)}/keys with HTTP ` +
            `${result.response.status} but no key id or key; check that baseUrl points at the Tailscale API.`,
        );
      }
      redactor.add(data.key);
      const lifetimeSeconds = data.expirySeconds ?? options.expirySeconds ?? 90 * 24 * 60 * 60;
      return {
        id: data.id,
        key: data.key,
        expires: data.expires ?? new Date(clock.now() + lifetimeSeconds * 1000).toISOString(),
      };
    },

    async getAuthKey(id, options = {}) {
      requireId("id", id);
      const result = await api.GET("/tailnet/{tailnet}/keys/{keyId}", {
        params: { path: { tailnet, keyId: id } },
        ...signalOption(options.signal),
      });
      if (result.response.status === 404) return undefined;
      return expectOk(context, result);
    },

    async deleteAuthKey(id, options = {}) {
      requireId("id", id);
      const result = await api.DELETE("/tailnet/{tailnet}/keys/{keyId}", {
        params: { path: { tailnet, keyId: id } },
        ...signalOption(options.signal),
      });
      if (result.response.status === 404) return { deleted: false };
      expectOk(context, result);
      return { deleted: true };
    },
  };
}
