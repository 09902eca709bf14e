/** The JSON Hetzner answers for each simulated resource, typed by the API document. */
import type { JsonBody } from "@tailvm/internal";
import type { HetznerOperations } from "./api-types.js";
import type { CatalogImage } from "./catalog-images.js";
import { type CatalogLocation, LOCATIONS, priceRegion } from "./catalog-locations.js";
import {
  type CatalogDeprecation,
  type CatalogServerType,
  isPast,
  REGION_PRICE_FACTOR,
} from "./catalog-server-types.js";
import { timestamp } from "./timestamp.js";
import type { ActionRecord, ServerRecord, SshKeyRecord, World } from "./world.js";

export type Json<
  Operation extends keyof HetznerOperations,
  Status extends keyof HetznerOperations[Operation]["responses"],
> = JsonBody<HetznerOperations[Operation]["responses"][Status]>;

type HetznerServer = NonNullable<Json<"get_server", 200>["server"]>;
type HetznerAction = Json<"get_action", 200>["action"];
type HetznerServerType = Json<"get_server_type", 200>["server_type"];
type HetznerLocation = Json<"get_location", 200>["location"];
type HetznerImage = NonNullable<Json<"get_image", 200>["image"]>;
type HetznerSshKey = Json<"get_ssh_key", 200>["ssh_key"];

const TEBIBYTE = 2 ** 40;
const INCLUDED_TRAFFIC = { eu: 20 * TEBIBYTE, us: TEBIBYTE, sg: TEBIBYTE / 2 } as const;
const TRAFFIC_PRICE_NET = { eu: 1, us: 1.2, sg: 7.4 } as const;
const VAT = 1.19;
const HOURS_PER_MONTH = 730;

const money = (net: number) => ({ net: net.toFixed(4), gross: (net * VAT).toFixed(4) });

const deprecationJson = (deprecation: CatalogDeprecation | null) =>
  deprecation && {
    announced: deprecation.announced,
    unavailable_after: deprecation.unavailableAfter,
  };

export function locationJson(location: CatalogLocation): HetznerLocation {
  return { ...location } satisfies HetznerLocation;
}

/** Whether `type` can be ordered in `location` at `now`, stock faults included. */
export function isOrderable(
  world: World,
  type: CatalogServerType,
  location: string,
  now: number,
): boolean {
  return (
    type.locations.includes(location) &&
    !isPast(type.locationDeprecation, now) &&
    !isPast(type.deprecation, now) &&
    !world.faults.unavailable.has(`${type.name}@${location}`)
  );
}

export function serverTypeJson(
  world: World,
  type: CatalogServerType,
  now: number,
): HetznerServerType {
  const deprecated = type.deprecation !== null;
  return {
    id: type.id,
    name: type.name,
    description: type.description,
    cores: type.cores,
    memory: type.memory,
    disk: type.disk,
    deprecated,
    deprecation: deprecationJson(type.deprecation),
    prices: type.locations.map((location) => {
      const region = priceRegion(location);
      const monthly = type.monthlyNetEur * REGION_PRICE_FACTOR[region];
      return {
        location,
        price_hourly: money(monthly / HOURS_PER_MONTH),
        price_monthly: money(monthly),
        included_traffic: INCLUDED_TRAFFIC[region],
        price_per_tb_traffic: money(TRAFFIC_PRICE_NET[region]),
      };
    }),
    storage_type: "local",
    cpu_type: type.cpu_type,
    category: type.category,
    architecture: type.architecture,
    locations: LOCATIONS.filter((location) => type.locations.includes(location.name)).map(
      (location) => {
        const available = isOrderable(world, type, location.name, now);
        return {
          id: location.id,
          name: location.name,
          deprecation: deprecationJson(type.locationDeprecation),
          recommended: available && location.name === "fsn1",
          available,
        };
      },
    ),
  } satisfies HetznerServerType;
}

export function imageJson(image: CatalogImage): HetznerImage {
  return {
    id: image.id,
    type: "system",
    status: "available",
    name: image.name,
    description: image.description,
    image_size: null,
    disk_size: 5,
    created: image.created,
    created_from: null,
    bound_to: null,
    os_flavor: image.os_flavor,
    os_version: image.os_version,
    rapid_deploy: true,
    protection: { delete: false },
    deprecated: image.deprecated,
    deleted: null,
    labels: {},
    architecture: image.architecture,
  } satisfies HetznerImage;
}

export function actionJson(world: World, action: ActionRecord, now: number): HetznerAction {
  const status = world.actionStatus(action, now);
  const span =
    action.finishesAt === null ? Number.POSITIVE_INFINITY : action.finishesAt - action.started;
  const progress =
    status === "running"
      ? Math.min(99, Math.floor(span > 0 ? ((now - action.started) / span) * 100 : 0))
      : 100;
  return {
    id: action.id,
    command: action.command,
    status,
    started: timestamp(world, action.started),
    finished:
      status === "running" || action.finishesAt === null
        ? null
        : timestamp(world, action.finishesAt),
    progress,
    resources: action.resources.map((resource) => ({ ...resource })),
    error: status === "error" ? action.error : null,
  } satisfies HetznerAction;
}

export function serverJson(world: World, server: ServerRecord, now: number): HetznerServer {
  return {
    id: server.id,
    name: server.name,
    status: world.serverStatus(server, now),
    created: timestamp(world, server.created),
    public_net: {
      ipv4: server.ipv4
        ? {
            id: server.id + 10_000_000,
            ip: server.ipv4,
            blocked: false,
            dns_ptr: `static.${server.ipv4.split(".").reverse().join(".")}.clients.your-server.de`,
          }
        : null,
      ipv6: server.ipv6
        ? { id: server.id + 20_000_000, ip: server.ipv6, blocked: false, dns_ptr: [] }
        : null,
      floating_ips: [],
      firewalls: server.firewallIds.map((id) => ({ id, status: "applied" as const })),
    },
    private_net: server.networkIds.map((id, index) => ({
      network: id,
      ip: `10.0.${Math.floor(server.id / 250) % 250}.${(server.id % 250) + 2 + index}`,
      alias_ips: [],
      mac_address: "86:00:00:00:00:01",
    })),
    server_type: serverTypeJson(world, server.serverType, now),
    location: locationJson(server.location),
    image: imageJson(server.image),
    iso: null,
    rescue_enabled: false,
    locked: false,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: INCLUDED_TRAFFIC[priceRegion(server.location.name)],
    protection: { delete: false, rebuild: false },
    labels: { ...server.labels },
    volumes: [],
    load_balancers: [],
    primary_disk_size: server.serverType.disk,
    placement_group: null,
  } satisfies HetznerServer;
}

export function sshKeyJson(world: World, key: SshKeyRecord): HetznerSshKey {
  return {
    id: key.id,
    name: key.name,
    fingerprint: key.fingerprint,
    public_key: key.publicKey,
    labels: { ...key.labels },
    created: timestamp(world, key.created),
  } satisfies HetznerSshKey;
}
