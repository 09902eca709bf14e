// Response and request shapes of the two vendor APIs, from the client packages' generated types.
// Type-only: nothing here reaches the built output or the published declarations.
export type { operations as HetznerOperations } from "@tailvm/hetzner-client";
export type {
  components as TailscaleComponents,
  operations as TailscaleOperations,
} from "@tailvm/tailscale-client";
