// Response and request shapes of the two vendor APIs, from the client packages' generated types.
// Type-only: nothing here reaches the built output.
export type { operations as HetznerOperations } from "../../hetzner-client/src/generated/hetzner";
export type {
  components as TailscaleComponents,
  operations as TailscaleOperations,
} from "../../tailscale-client/src/generated/tailscale";
