import { invalidInput } from "./hetzner-errors.js";
import { validateLabels } from "./hetzner-input.js";
import type { Json } from "./hetzner-json.js";
import { createResourceRoutes } from "./hetzner-resource-routes.js";
import type { Route } from "./router.js";
import { timestamp } from "./timestamp.js";
import type { NetworkRecord, World } from "./world.js";

type HetznerNetwork = NonNullable<Json<"get_network", 200>["network"]>;

const IP_RANGE = /^10\.\d{1,3}\.\d{1,3}\.\d{1,3}\/\d{1,2}$|^172\.|^192\.168\./;

function networkJson(world: World, network: NetworkRecord): HetznerNetwork {
  return {
    id: network.id,
    name: network.name,
    ip_range: network.ipRange,
    subnets: [],
    routes: [],
    servers: [...world.servers.values()]
      .filter((server) => server.networkIds.includes(network.id))
      .map((server) => server.id),
    load_balancers: [],
    protection: { delete: false },
    labels: { ...network.labels },
    created: timestamp(world, network.created),
    expose_routes_to_vswitch: false,
  } satisfies HetznerNetwork;
}

/**
 * `GET`/`POST /networks` and `GET /networks/{id}`: private networks as far as attaching a server
 * at create needs. A server on one is assumed to have a route out (a NAT gateway of the user's).
 *
 * @example
 * ```ts
 * const routes = createNetworkRoutes(world);
 * ```
 */
export function createNetworkRoutes(world: World): Route[] {
  const { routes } = createResourceRoutes({
    path: "/networks",
    listKey: "networks",
    itemKey: "network",
    noun: "network",
    records: world.networks,
    toJson: (network) => networkJson(world, network),
    create: {
      nextId: () => world.nextNetworkId(),
      read: (body, fields) => {
        if (typeof body.name !== "string" || body.name === "") {
          fields.push({ name: "name", messages: ["is required and must be a string"] });
        }
        if (typeof body.ip_range !== "string" || !IP_RANGE.test(body.ip_range)) {
          fields.push({
            name: "ip_range",
            messages: ["must be a private IPv4 range such as 10.0.0.0/16"],
          });
        }
        validateLabels(body.labels, fields);
        if (fields.length > 0) return invalidInput(fields);
        return { ipRange: String(body.ip_range) };
      },
    },
  });

  return routes;
}
