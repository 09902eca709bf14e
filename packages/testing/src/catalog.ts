/** Lookups over the simulated catalog: server types, locations and images by ID or name. */
import { type CatalogImage, IMAGES } from "./catalog-images.js";
import { type CatalogLocation, LOCATIONS } from "./catalog-locations.js";
import { type CatalogServerType, SERVER_TYPES } from "./catalog-server-types.js";

/** An "ID or name" field as Hetzner reads it: a number or a string of digits is an ID. */
export type Reference = { id: number } | { name: string };

export function referenceOf(value: unknown): Reference | undefined {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value > 0 ? { id: value } : undefined;
  }
  if (typeof value !== "string" || value === "") return undefined;
  return /^\d+$/.test(value) ? { id: Number(value) } : { name: value };
}

function matches(item: { id: number; name: string }, reference: Reference): boolean {
  return "id" in reference ? item.id === reference.id : item.name === reference.name;
}

export function findServerType(reference: Reference): CatalogServerType | undefined {
  return SERVER_TYPES.find((type) => matches(type, reference));
}

export function findLocation(reference: Reference): CatalogLocation | undefined {
  return LOCATIONS.find((location) => matches(location, reference));
}

/**
 * The image an ID names, or the image of `architecture` a name names (Hetzner picks the image that
 * fits the server type when given a name).
 */
export function findImage(
  reference: Reference,
  architecture: CatalogImage["architecture"] | undefined,
): CatalogImage | undefined {
  if ("id" in reference) return IMAGES.find((image) => image.id === reference.id);
  const named = IMAGES.filter((image) => image.name === reference.name);
  return named.find((image) => image.architecture === (architecture ?? "x86")) ?? named[0];
}

export function describeReference(reference: Reference): string {
  return "id" in reference ? String(reference.id) : reference.name;
}
