// Settings read from the environment are `string | undefined`; with exactOptionalPropertyTypes, the
// optional options of every package must accept them as they are.
import { createHetznerClient } from "@tailvm/hetzner-client";
import type { ProvisionContext } from "@tailvm/provisioner";
import { createTailscaleClient } from "@tailvm/tailscale-client";

export const hetzner = createHetznerClient({
  token: process.env.HETZNER_API_TOKEN ?? "",
  baseUrl: process.env.HETZNER_API_URL,
  userAgent: process.env.USER_AGENT,
});

export const tailscale = createTailscaleClient({
  auth: { apiKey: process.env.TAILSCALE_API_KEY ?? "" },
  baseUrl: process.env.TAILSCALE_API_URL,
  tailnet: process.env.TAILSCALE_TAILNET,
});

export const context: ProvisionContext = {
  hetzner: { token: process.env.HETZNER_API_TOKEN ?? "", baseUrl: process.env.HETZNER_API_URL },
  tailscale: {
    auth: { apiKey: process.env.TAILSCALE_API_KEY ?? "" },
    baseUrl: process.env.TAILSCALE_API_URL,
  },
};
