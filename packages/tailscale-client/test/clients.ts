import { createVirtualClock } from "@tailvm/internal/test";
import type { TailscaleClientOptions } from "../src/client-types.js";
import { createTailscaleClient } from "../src/tailscale-client.js";
import { API_KEY, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from "./fake-tailscale-api.js";

export { createVirtualClock } from "@tailvm/internal/test";

/** When the tests' virtual clocks start, unless a test says otherwise. */
export const TEST_START = Date.parse("2026-03-01T12:00:00Z");

/** A client with the fake API's API key, on a virtual clock. */
export function apiKeyClient(options: Partial<TailscaleClientOptions> = {}) {
  const clock = createVirtualClock({ start: TEST_START });
  const tailscale = createTailscaleClient({ auth: { apiKey: API_KEY }, clock, ...options });
  return { tailscale, clock };
}

/** A client with the fake API's OAuth client, on a virtual clock. */
export function oauthClient(options: Partial<TailscaleClientOptions> = {}) {
  return createTailscaleClient({
    auth: { oauthClientId: OAUTH_CLIENT_ID, oauthClientSecret: OAUTH_CLIENT_SECRET },
    clock: createVirtualClock({ start: TEST_START }),
    ...options,
  });
}
