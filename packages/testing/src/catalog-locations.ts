/** Hetzner's locations, as `GET /locations` answers them. */
import type { HetznerOperations } from "./api-types.js";

export type CatalogLocation =
  HetznerOperations["get_location"]["responses"][200]["content"]["application/json"]["location"];

/** Where a location's prices sit: the EU is cheapest, the US dearer, Singapore dearest. */
export type PriceRegion = "eu" | "us" | "sg";

export const LOCATIONS: readonly CatalogLocation[] = [
  {
    id: 1,
    name: "fsn1",
    description: "Falkenstein DC Park 1",
    country: "DE",
    city: "Falkenstein",
    latitude: 50.47612,
    longitude: 12.370071,
    network_zone: "eu-central",
  },
  {
    id: 2,
    name: "nbg1",
    description: "Nuremberg DC Park 1",
    country: "DE",
    city: "Nuremberg",
    latitude: 49.452102,
    longitude: 11.076665,
    network_zone: "eu-central",
  },
  {
    id: 3,
    name: "hel1",
    description: "Helsinki DC Park 1",
    country: "FI",
    city: "Helsinki",
    latitude: 60.169855,
    longitude: 24.938379,
    network_zone: "eu-central",
  },
  {
    id: 4,
    name: "ash",
    description: "Ashburn, VA",
    country: "US",
    city: "Ashburn, VA",
    latitude: 39.045821,
    longitude: -77.487073,
    network_zone: "us-east",
  },
  {
    id: 5,
    name: "hil",
    description: "Hillsboro, OR",
    country: "US",
    city: "Hillsboro, OR",
    latitude: 45.54222,
    longitude: -122.951924,
    network_zone: "us-west",
  },
  {
    id: 6,
    name: "sin",
    description: "Singapore",
    country: "SG",
    city: "Singapore",
    latitude: 1.283333,
    longitude: 103.833333,
    network_zone: "ap-southeast",
  },
];

export const EU_LOCATIONS: readonly string[] = ["fsn1", "nbg1", "hel1"];
export const ALL_LOCATIONS: readonly string[] = LOCATIONS.map((location) => location.name);

export function priceRegion(location: string): PriceRegion {
  if (location === "sin") return "sg";
  return EU_LOCATIONS.includes(location) ? "eu" : "us";
}
