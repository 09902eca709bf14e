/** Reads a `POST /servers` body the way Hetzner does: ID or name for every reference. */

import {
  describeReference,
  findImage,
  findLocation,
  findServerType,
  referenceOf,
} from "./catalog.js";
import type { CatalogImage } from "./catalog-images.js";
import type { CatalogLocation } from "./catalog-locations.js";
import type { CatalogServerType } from "./catalog-server-types.js";
import { hetznerError, type InvalidField, invalidInput } from "./hetzner-errors.js";
import { HOSTNAME, labelsOf, validateLabels } from "./hetzner-input.js";
import type { World } from "./world.js";

/** User data larger than this is refused, as Hetzner does. */
export const USER_DATA_LIMIT_BYTES = 32 * 1024;

/** Body fields the document has but the simulator does not model: a non-empty one answers 501. */
const NOT_SIMULATED = ["volumes", "placement_group"] as const;

export interface ServerCreateInput {
  name: string;
  serverType: CatalogServerType;
  image: CatalogImage;
  location: CatalogLocation | undefined;
  userData: string | null;
  sshKeys: string[];
  labels: Record<string, string>;
  startAfterCreate: boolean;
  enableIpv4: boolean;
  enableIpv6: boolean;
  firewallIds: number[];
  networkIds: number[];
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function lookup<Item>(
  fields: InvalidField[],
  field: string,
  what: string,
  value: unknown,
  find: (reference: NonNullable<ReturnType<typeof referenceOf>>) => Item | undefined,
): Item | undefined {
  const reference = referenceOf(value);
  if (!reference) {
    fields.push({ name: field, messages: [`must be the ID or name of a ${what}`] });
    return undefined;
  }
  const found = find(reference);
  if (!found) {
    fields.push({ name: field, messages: [`${what} '${describeReference(reference)}' not found`] });
  }
  return found;
}

function readSshKeys(world: World, value: unknown, fields: InvalidField[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fields.push({ name: "ssh_keys", messages: ["must be an array of SSH key IDs or names"] });
    return [];
  }
  const names: string[] = [];
  for (const item of value as unknown[]) {
    const reference = referenceOf(item);
    const key =
      reference &&
      [...world.sshKeys.values()].find((candidate) =>
        "id" in reference ? candidate.id === reference.id : candidate.name === reference.name,
      );
    if (key) names.push(key.name);
    else fields.push({ name: "ssh_keys", messages: [`SSH key '${String(item)}' not found`] });
  }
  return names;
}

/** A list of references to existing resources (`firewalls`, `networks`), without repeats. */
function readIds(
  value: unknown,
  field: string,
  what: string,
  idOf: (item: unknown) => unknown,
  exists: (id: number) => boolean,
  fields: InvalidField[],
): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fields.push({ name: field, messages: [`must be an array of ${what} references`] });
    return [];
  }
  const ids: number[] = [];
  for (const item of value as unknown[]) {
    const id = idOf(item);
    if (typeof id !== "number" || !exists(id)) {
      fields.push({ name: field, messages: [`${what} '${String(id)}' not found`] });
    } else if (!ids.includes(id)) {
      ids.push(id);
    }
  }
  return ids;
}

function readPublicNet(value: unknown, fields: InvalidField[]) {
  if (value === undefined) return { enableIpv4: true, enableIpv6: true, notSimulated: [] };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fields.push({ name: "public_net", messages: ["must be an object"] });
    return { enableIpv4: true, enableIpv6: true, notSimulated: [] };
  }
  const net = value as Record<string, unknown>;
  for (const flag of ["enable_ipv4", "enable_ipv6"]) {
    if (net[flag] !== undefined && typeof net[flag] !== "boolean") {
      fields.push({ name: `public_net.${flag}`, messages: ["must be a boolean"] });
    }
  }
  return {
    enableIpv4: net.enable_ipv4 !== false,
    enableIpv6: net.enable_ipv6 !== false,
    notSimulated: ["ipv4", "ipv6"]
      .filter((key) => !isEmpty(net[key]))
      .map((key) => `public_net.${key}`),
  };
}

/**
 * The checked input of a create, or the answer that refuses it: 422 `invalid_input` naming every
 * bad field, or 501 for a field that asks for something not simulated (volumes, ...).
 */
export function readServerCreateInput(
  world: World,
  body: Record<string, unknown>,
): ServerCreateInput | Response {
  const fields: InvalidField[] = [];
  if (typeof body.name !== "string" || body.name === "") {
    fields.push({ name: "name", messages: ["is required and must be a string"] });
  } else if (!HOSTNAME.test(body.name)) {
    fields.push({
      name: "name",
      messages: ["must be a valid hostname (letters, digits, '-', '.')"],
    });
  }
  const required = (field: string) => {
    if (body[field] === undefined) fields.push({ name: field, messages: ["is required"] });
    return body[field] !== undefined;
  };
  const serverType = required("server_type")
    ? lookup(fields, "server_type", "server type", body.server_type, findServerType)
    : undefined;
  const image = required("image")
    ? lookup(fields, "image", "image", body.image, (reference) =>
        findImage(reference, serverType?.architecture),
      )
    : undefined;
  if (image && serverType && image.architecture !== serverType.architecture) {
    fields.push({
      name: "image",
      messages: [
        `image ${image.id} is for ${image.architecture}, server type ${serverType.name} is ${serverType.architecture}`,
      ],
    });
  }
  const location =
    body.location === undefined
      ? undefined
      : lookup(fields, "location", "location", body.location, findLocation);
  if (body.datacenter !== undefined) {
    fields.push({
      name: "datacenter",
      messages: ["datacenters were removed from the API on 2026-07-01: use location"],
    });
  }
  if (body.user_data !== undefined && typeof body.user_data !== "string") {
    fields.push({ name: "user_data", messages: ["must be a string"] });
  } else if (
    typeof body.user_data === "string" &&
    Buffer.byteLength(body.user_data, "utf8") > USER_DATA_LIMIT_BYTES
  ) {
    fields.push({
      name: "user_data",
      messages: [`is too long (maximum is ${USER_DATA_LIMIT_BYTES} bytes)`],
    });
  }
  if (body.start_after_create !== undefined && typeof body.start_after_create !== "boolean") {
    fields.push({ name: "start_after_create", messages: ["must be a boolean"] });
  }
  const sshKeys = readSshKeys(world, body.ssh_keys, fields);
  validateLabels(body.labels, fields);
  const publicNet = readPublicNet(body.public_net, fields);
  const firewallIds = readIds(
    body.firewalls,
    "firewalls",
    "firewall",
    (item) => (item as { firewall?: unknown } | null)?.firewall,
    (id) => world.firewalls.has(id),
    fields,
  );
  const networkIds = readIds(
    body.networks,
    "networks",
    "network",
    (item) => item,
    (id) => world.networks.has(id),
    fields,
  );
  if (fields.length > 0 || !serverType || !image || typeof body.name !== "string") {
    return invalidInput(fields);
  }
  const notSimulated = [
    ...NOT_SIMULATED.filter((field) => !isEmpty(body[field])),
    ...publicNet.notSimulated,
  ];
  if (notSimulated.length > 0) {
    return hetznerError(
      "not_implemented",
      `POST /servers with ${notSimulated.join(", ")} is not simulated by @tailvm/testing`,
      { fields: notSimulated.map((name) => ({ name })) },
    );
  }
  return {
    name: body.name,
    serverType,
    image,
    location,
    userData: typeof body.user_data === "string" ? body.user_data : null,
    sshKeys,
    labels: labelsOf(body),
    startAfterCreate: body.start_after_create !== false,
    enableIpv4: publicNet.enableIpv4,
    enableIpv6: publicNet.enableIpv6,
    firewallIds,
    networkIds,
  };
}
