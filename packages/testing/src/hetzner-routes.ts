import { createActionRoutes } from "./hetzner-action-routes.js";
import { createCatalogRoutes } from "./hetzner-catalog-routes.js";
import { createFirewallRoutes } from "./hetzner-firewall-routes.js";
import { createNetworkRoutes } from "./hetzner-network-routes.js";
import { createServerRoutes } from "./hetzner-server-routes.js";
import { createSshKeyRoutes } from "./hetzner-ssh-key-routes.js";
import type { Route } from "./router.js";
import type { World } from "./world.js";

/**
 * The simulated Hetzner Cloud routes (relative to `/v1`). Everything else answers 501.
 *
 * @example
 * ```ts
 * const routes = createHetznerRoutes(world);
 * ```
 */
export function createHetznerRoutes(world: World): Route[] {
  return [
    ...createServerRoutes(world),
    ...createActionRoutes(world),
    ...createCatalogRoutes(world),
    ...createSshKeyRoutes(world),
    ...createFirewallRoutes(world),
    ...createNetworkRoutes(world),
  ];
}
