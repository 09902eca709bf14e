import { createHash } from "node:crypto";
import type { HetznerOperations } from "./api-types.js";
import {
  type CatalogLocation,
  type CatalogServerType,
  IMAGES,
  LOCATIONS,
  SERVER_TYPES,
} from "./catalog.js";
import { LabelSelectorError, matchesLabelSelector } from "./label-selector.js";
import { jsonResponse, type Route, type RouteContext } from "./router.js";
import type { ActionRecord, ServerRecord, SshKeyRecord, World } from "./world.js";

type Json<
  Operation extends keyof HetznerOperations,
  Status extends keyof HetznerOperations[Operation]["responses"],
> = HetznerOperations[Operation]["responses"][Status] extends {
  content: { "application/json": infer Body };
}
  ? Body
  : never;

type HetznerServer = NonNullable<Json<"get_server", 200>["server"]>;
type HetznerAction = Json<"get_action", 200>["action"];
type HetznerServerType = Json<"list_server_types", 200>["server_types"][number];
type HetznerLocation = Json<"list_locations", 200>["locations"][number];
type HetznerSshKey = Json<"get_ssh_key", 200>["ssh_key"];
type HetznerPagination = Json<"list_servers", 200>["meta"]["pagination"];
type CreateServerBody =
  HetznerOperations["create_server"]["requestBody"]["content"]["application/json"];

/** User data larger than this is refused, as Hetzner does. */
export const USER_DATA_LIMIT_BYTES = 32 * 1024;

const HTTP_STATUS_FOR_CODE: Record<string, number> = {
  json_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  uniqueness_error: 409,
  conflict: 409,
  resource_unavailable: 412,
  invalid_input: 422,
  locked: 423,
  rate_limit_exceeded: 429,
  server_error: 500,
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
};

/**
 * A Hetzner error answer: `{ error: { code, message, details } }` with the status Hetzner uses.
 *
 * @example
 * ```ts
 * return hetznerError("not_found", "server with ID '42' not found");
 * ```
 */
export function hetznerError(
  code: string,
  message: string,
  details: unknown = null,
  status = HTTP_STATUS_FOR_CODE[code] ?? 400,
): Response {
  return jsonResponse({ error: { code, message, details } }, status);
}

function invalidInput(fields: { name: string; messages: string[] }[]): Response {
  const first = fields[0];
  const message = first
    ? `invalid input in field '${first.name}': ${first.messages.join(", ")}`
    : "invalid input";
  return hetznerError("invalid_input", message, { fields });
}

const iso = (time: number): string => new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");

const price = (monthly: string) => {
  const hourly = (Number(monthly) / 730).toFixed(4);
  return {
    price_hourly: { net: hourly, gross: (Number(hourly) * 1.19).toFixed(4) },
    price_monthly: { net: monthly, gross: (Number(monthly) * 1.19).toFixed(4) },
  };
};

function locationJson(location: CatalogLocation): HetznerLocation {
  return { ...location } satisfies HetznerLocation;
}

function serverTypeJson(world: World, type: CatalogServerType): HetznerServerType {
  return {
    id: type.id,
    name: type.name,
    description: type.description,
    cores: type.cores,
    memory: type.memory,
    disk: type.disk,
    deprecated: false,
    deprecation: null,
    prices: type.locations.map((location) => ({
      location,
      ...price(type.priceMonthly),
      included_traffic: 21_990_232_555_520,
      price_per_tb_traffic: { net: "1.0000", gross: "1.1900" },
    })),
    storage_type: "local",
    cpu_type: type.cpu_type,
    category: type.category,
    architecture: type.architecture,
    locations: LOCATIONS.filter((location) => type.locations.includes(location.name)).map(
      (location) => ({
        id: location.id,
        name: location.name,
        deprecation: null,
        recommended: location.name === "fsn1",
        available: !world.faults.unavailable.has(`${type.name}@${location.name}`),
      }),
    ),
  } satisfies HetznerServerType;
}

/** The JSON Hetzner answers for an action. */
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
    started: iso(action.started),
    finished: status === "running" || action.finishesAt === null ? null : iso(action.finishesAt),
    progress,
    resources: action.resources.map((resource) => ({ ...resource })),
    error: status === "error" ? action.error : null,
  } satisfies HetznerAction;
}

function serverJson(world: World, server: ServerRecord, now: number): HetznerServer {
  const image = server.image;
  return {
    id: server.id,
    name: server.name,
    status: world.serverStatus(server, now),
    created: iso(server.created),
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
      firewalls: [],
    },
    private_net: [],
    server_type: serverTypeJson(world, server.serverType),
    location: locationJson(server.location),
    image: {
      id: image.id,
      type: "system",
      status: "available",
      name: image.name,
      description: image.description,
      image_size: null,
      disk_size: 5,
      created: "2024-04-25T12:00:00Z",
      created_from: null,
      bound_to: null,
      os_flavor: image.os_flavor,
      os_version: image.os_version,
      rapid_deploy: true,
      protection: { delete: false },
      deprecated: null,
      deleted: null,
      labels: {},
      architecture: server.serverType.architecture,
    },
    iso: null,
    rescue_enabled: false,
    locked: false,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: 21_990_232_555_520,
    protection: { delete: false, rebuild: false },
    labels: { ...server.labels },
    volumes: [],
    load_balancers: [],
    primary_disk_size: server.serverType.disk,
    placement_group: null,
  } satisfies HetznerServer;
}

function sshKeyJson(key: SshKeyRecord): HetznerSshKey {
  return {
    id: key.id,
    name: key.name,
    fingerprint: key.fingerprint,
    public_key: key.publicKey,
    labels: { ...key.labels },
    created: iso(key.created),
  } satisfies HetznerSshKey;
}

/** Applies `page`/`per_page` (max 50) and builds `meta.pagination`. */
function paginate<Item>(
  items: Item[],
  query: URLSearchParams,
): { page: Item[]; pagination: HetznerPagination } | Response {
  const page = query.has("page") ? Number(query.get("page")) : 1;
  const perPage = query.has("per_page") ? Number(query.get("per_page")) : 25;
  if (!Number.isInteger(page) || page < 1) {
    return invalidInput([{ name: "page", messages: ["must be an integer >= 1"] }]);
  }
  if (!Number.isInteger(perPage) || perPage < 1) {
    return invalidInput([{ name: "per_page", messages: ["must be an integer between 1 and 50"] }]);
  }
  const size = Math.min(perPage, 50);
  const lastPage = Math.max(1, Math.ceil(items.length / size));
  return {
    page: items.slice((page - 1) * size, page * size),
    pagination: {
      page,
      per_page: size,
      previous_page: page > 1 ? page - 1 : null,
      next_page: page < lastPage ? page + 1 : null,
      last_page: lastPage,
      total_entries: items.length,
    },
  };
}

function filterByLabels<Item extends { labels: Record<string, string> }>(
  items: Item[],
  query: URLSearchParams,
): Item[] | Response {
  const selector = query.get("label_selector");
  if (selector === null) return items;
  try {
    return items.filter((item) => matchesLabelSelector(item.labels, selector));
  } catch (error) {
    if (error instanceof LabelSelectorError) {
      return invalidInput([{ name: "label_selector", messages: [error.message] }]);
    }
    throw error;
  }
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const LABEL_KEY =
  /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/;
const LABEL_VALUE = /^([a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?)?$/;

function validateLabels(labels: unknown, fields: { name: string; messages: string[] }[]): void {
  if (labels === undefined) return;
  if (labels === null || typeof labels !== "object" || Array.isArray(labels)) {
    fields.push({ name: "labels", messages: ["must be an object of string values"] });
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key)) {
      fields.push({ name: `labels.${key}`, messages: ["is not a valid label key"] });
    } else if (typeof value !== "string" || !LABEL_VALUE.test(value)) {
      fields.push({
        name: `labels.${key}`,
        messages: ["must be a string of up to 63 characters: letters, digits, '-', '_' and '.'"],
      });
    }
  }
}

async function readJson(request: Request): Promise<Record<string, unknown> | Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return hetznerError("json_error", "request body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return hetznerError("json_error", "request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

function parseId(value: string | undefined): number | undefined {
  const id = Number(value);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/**
 * The Hetzner Cloud routes (relative to `/v1`).
 *
 * @example
 * ```ts
 * const routes = createHetznerRoutes(world);
 * ```
 */
export function createHetznerRoutes(world: World): Route[] {
  const { timings } = world.config;

  const createServer = async ({ request, now }: RouteContext): Promise<Response> => {
    const body = await readJson(request);
    if (body instanceof Response) return body;
    const input = body as Partial<Record<keyof CreateServerBody, unknown>>;
    const fields: { name: string; messages: string[] }[] = [];

    if (typeof input.name !== "string" || input.name === "") {
      fields.push({ name: "name", messages: ["is required and must be a string"] });
    } else if (!HOSTNAME.test(input.name)) {
      fields.push({
        name: "name",
        messages: ["must be a valid hostname (letters, digits, '-', '.')"],
      });
    }
    const serverType =
      typeof input.server_type === "string"
        ? SERVER_TYPES.find((type) => type.name === input.server_type)
        : undefined;
    if (typeof input.server_type !== "string") {
      fields.push({ name: "server_type", messages: ["is required and must be a string"] });
    } else if (!serverType) {
      fields.push({
        name: "server_type",
        messages: [
          `unknown server type; allowed: ${SERVER_TYPES.map((type) => type.name).join(", ")}`,
        ],
      });
    }
    const image =
      typeof input.image === "string"
        ? IMAGES.find((candidate) => candidate.name === input.image)
        : undefined;
    if (typeof input.image !== "string") {
      fields.push({ name: "image", messages: ["is required and must be a string"] });
    } else if (!image) {
      fields.push({
        name: "image",
        messages: [
          `unknown image; allowed: ${IMAGES.map((candidate) => candidate.name).join(", ")}`,
        ],
      });
    }
    let location: CatalogLocation | undefined;
    if (input.location !== undefined) {
      location =
        typeof input.location === "string"
          ? LOCATIONS.find((candidate) => candidate.name === input.location)
          : undefined;
      if (!location) {
        fields.push({
          name: "location",
          messages: [
            `unknown location; allowed: ${LOCATIONS.map((candidate) => candidate.name).join(", ")}`,
          ],
        });
      }
    }
    if (input.user_data !== undefined && typeof input.user_data !== "string") {
      fields.push({ name: "user_data", messages: ["must be a string"] });
    } else if (
      typeof input.user_data === "string" &&
      Buffer.byteLength(input.user_data, "utf8") > USER_DATA_LIMIT_BYTES
    ) {
      fields.push({
        name: "user_data",
        messages: [`is too long (maximum is ${USER_DATA_LIMIT_BYTES} bytes)`],
      });
    }
    const sshKeys: string[] = [];
    if (input.ssh_keys !== undefined) {
      if (!Array.isArray(input.ssh_keys)) {
        fields.push({ name: "ssh_keys", messages: ["must be an array of SSH key names or IDs"] });
      } else {
        for (const reference of input.ssh_keys as unknown[]) {
          const found = [...world.sshKeys.values()].find(
            (key) => key.name === String(reference) || String(key.id) === String(reference),
          );
          if (found) sshKeys.push(found.name);
          else
            fields.push({
              name: "ssh_keys",
              messages: [`SSH key '${String(reference)}' not found`],
            });
        }
      }
    }
    validateLabels(input.labels, fields);
    if (fields.length > 0) return invalidInput(fields);
    if (!serverType || !image || typeof input.name !== "string") return invalidInput(fields);

    if (location && !serverType.locations.includes(location.name)) {
      return invalidInput([
        {
          name: "server_type",
          messages: [`server type ${serverType.name} is not offered in location ${location.name}`],
        },
      ]);
    }
    const isAvailable = (candidate: CatalogLocation) =>
      serverType.locations.includes(candidate.name) &&
      !world.faults.unavailable.has(`${serverType.name}@${candidate.name}`);
    location ??= LOCATIONS.find(isAvailable);
    if (!location || !isAvailable(location)) {
      return hetznerError(
        "resource_unavailable",
        `server type ${serverType.name} is unavailable in location ${location?.name ?? "any location"}; try another type or location`,
      );
    }
    const name = input.name;
    if ([...world.servers.values()].some((server) => server.name === name)) {
      return hetznerError("uniqueness_error", "server name is already used", {
        fields: [{ name: "name" }],
      });
    }

    const id = world.nextServerId();
    const neverRuns = world.faults.serverNeverRuns.some(
      (fault) => fault.name === undefined || fault.name === name,
    );
    const resources = [{ id, type: "server" }];
    const createAction = world.createAction("create_server", resources, timings.createActionMs);
    const bootDuration = Math.max(timings.bootMs, timings.createActionMs);
    const startAction = createAction.error
      ? world.createAction("start_server", resources, timings.createActionMs)
      : world.createAction("start_server", resources, neverRuns ? null : bootDuration);
    if (createAction.error && !startAction.error) {
      startAction.error = { code: createAction.error.code, message: "server could not be started" };
    }
    const failed = createAction.error !== null || startAction.error !== null;
    const publicNet = input.public_net as
      | { enable_ipv4?: unknown; enable_ipv6?: unknown }
      | undefined;
    const addresses = world.assignAddresses();
    const server: ServerRecord = {
      id,
      name,
      labels: { ...((input.labels as Record<string, string> | undefined) ?? {}) },
      serverType,
      location,
      image,
      userData: typeof input.user_data === "string" ? input.user_data : null,
      sshKeys,
      created: now,
      runningAt: failed || neverRuns ? null : now + bootDuration,
      failedAt: failed ? (startAction.finishesAt ?? now) : null,
      booted: false,
      bootProblem: null,
      ipv4: publicNet?.enable_ipv4 === false ? null : addresses.ipv4,
      ipv6: publicNet?.enable_ipv6 === false ? null : addresses.ipv6,
    };
    world.servers.set(id, server);
    return jsonResponse(
      {
        server: serverJson(world, server, now),
        action: actionJson(world, createAction, now),
        next_actions: [actionJson(world, startAction, now)],
        root_password: sshKeys.length > 0 ? null : `sim-${id.toString(36)}-root`,
      } satisfies Json<"create_server", 201>,
      201,
    );
  };

  const listServers = ({ query, now }: RouteContext): Response => {
    let servers = [...world.servers.values()].sort((a, b) => a.id - b.id);
    const name = query.get("name");
    if (name !== null) servers = servers.filter((server) => server.name === name);
    const statuses = query.getAll("status");
    if (statuses.length > 0) {
      servers = servers.filter((server) => statuses.includes(world.serverStatus(server, now)));
    }
    const filtered = filterByLabels(servers, query);
    if (filtered instanceof Response) return filtered;
    const paged = paginate(filtered, query);
    if (paged instanceof Response) return paged;
    return jsonResponse({
      servers: paged.page.map((server) => serverJson(world, server, now)),
      meta: { pagination: paged.pagination },
    } satisfies Json<"list_servers", 200>);
  };

  const findServer = (params: Record<string, string>): ServerRecord | Response => {
    const id = parseId(params.id);
    const server = id === undefined ? undefined : world.servers.get(id);
    return server ?? hetznerError("not_found", `server with ID '${params.id ?? ""}' not found`);
  };

  return [
    { method: "POST", template: "/servers", handler: createServer },
    { method: "GET", template: "/servers", handler: listServers },
    {
      method: "GET",
      template: "/servers/{id}",
      handler: ({ params, now }) => {
        const server = findServer(params);
        if (server instanceof Response) return server;
        return jsonResponse({ server: serverJson(world, server, now) } satisfies Json<
          "get_server",
          200
        >);
      },
    },
    {
      method: "DELETE",
      template: "/servers/{id}",
      handler: ({ params, now }) => {
        const server = findServer(params);
        if (server instanceof Response) return server;
        const action = world.deleteServer(server, now);
        return jsonResponse({ action: actionJson(world, action, now) } satisfies Json<
          "delete_server",
          200
        >);
      },
    },
    {
      method: "GET",
      template: "/actions",
      handler: ({ query, now }) => {
        const ids = query.getAll("id");
        if (ids.length === 0) {
          return invalidInput([{ name: "id", messages: ["at least one action ID is required"] }]);
        }
        const actions: HetznerAction[] = [];
        for (const raw of ids) {
          const id = parseId(raw);
          if (id === undefined)
            return invalidInput([{ name: "id", messages: [`'${raw}' is not an ID`] }]);
          const action = world.actions.get(id);
          if (action) actions.push(actionJson(world, action, now));
        }
        return jsonResponse({ actions } satisfies Json<"get_actions", 200>);
      },
    },
    {
      method: "GET",
      template: "/actions/{id}",
      handler: ({ params, now }) => {
        const id = parseId(params.id);
        const action = id === undefined ? undefined : world.actions.get(id);
        if (!action)
          return hetznerError("not_found", `action with ID '${params.id ?? ""}' not found`);
        return jsonResponse({ action: actionJson(world, action, now) } satisfies Json<
          "get_action",
          200
        >);
      },
    },
    {
      method: "GET",
      template: "/server_types",
      handler: ({ query }) => {
        const name = query.get("name");
        const types = SERVER_TYPES.filter((type) => name === null || type.name === name);
        const paged = paginate([...types], query);
        if (paged instanceof Response) return paged;
        return jsonResponse({
          server_types: paged.page.map((type) => serverTypeJson(world, type)),
          meta: { pagination: paged.pagination },
        } satisfies Json<"list_server_types", 200>);
      },
    },
    {
      method: "GET",
      template: "/locations",
      handler: ({ query }) => {
        const name = query.get("name");
        const locations = LOCATIONS.filter((location) => name === null || location.name === name);
        const paged = paginate([...locations], query);
        if (paged instanceof Response) return paged;
        return jsonResponse({
          locations: paged.page.map(locationJson),
          meta: { pagination: paged.pagination },
        } satisfies Json<"list_locations", 200>);
      },
    },
    {
      method: "GET",
      template: "/ssh_keys",
      handler: ({ query }) => {
        let keys = [...world.sshKeys.values()].sort((a, b) => a.id - b.id);
        const name = query.get("name");
        if (name !== null) keys = keys.filter((key) => key.name === name);
        const filtered = filterByLabels(keys, query);
        if (filtered instanceof Response) return filtered;
        const paged = paginate(filtered, query);
        if (paged instanceof Response) return paged;
        return jsonResponse({
          ssh_keys: paged.page.map(sshKeyJson),
          meta: { pagination: paged.pagination },
        } satisfies Json<"list_ssh_keys", 200>);
      },
    },
    {
      method: "POST",
      template: "/ssh_keys",
      handler: async ({ request, now }) => {
        const body = await readJson(request);
        if (body instanceof Response) return body;
        const fields: { name: string; messages: string[] }[] = [];
        if (typeof body.name !== "string" || body.name === "") {
          fields.push({ name: "name", messages: ["is required and must be a string"] });
        }
        if (typeof body.public_key !== "string" || !/^(ssh-|ecdsa-)\S+ \S+/.test(body.public_key)) {
          fields.push({ name: "public_key", messages: ["must be an OpenSSH public key"] });
        }
        validateLabels(body.labels, fields);
        if (fields.length > 0) return invalidInput(fields);
        const name = String(body.name);
        const publicKey = String(body.public_key);
        if ([...world.sshKeys.values()].some((key) => key.name === name)) {
          return hetznerError("uniqueness_error", "SSH key with the same name already exists", {
            fields: [{ name: "name" }],
          });
        }
        const blob = Buffer.from(publicKey.split(/\s+/)[1] ?? "", "base64");
        const digest = (createHash("md5").update(blob).digest("hex").match(/../g) ?? []).join(":");
        const key: SshKeyRecord = {
          id: world.nextSshKeyId(),
          name,
          publicKey,
          fingerprint: digest,
          labels: { ...((body.labels as Record<string, string> | undefined) ?? {}) },
          created: now,
        };
        world.sshKeys.set(key.id, key);
        return jsonResponse(
          { ssh_key: sshKeyJson(key) } satisfies Json<"create_ssh_key", 201>,
          201,
        );
      },
    },
  ];
}
