import { ALL_LOCATIONS, EU_LOCATIONS, type PriceRegion } from "./catalog-locations.js";

/** When a deprecation was announced and from when the type can no longer be ordered (ISO). */
export interface CatalogDeprecation {
  announced: string;
  unavailableAfter: string;
}

/** The families of server types, as `setUnavailable` accepts them. */
export type ServerTypeFamily = "cx" | "cpx" | "cax" | "ccx";

export interface CatalogServerType {
  id: number;
  name: string;
  family: ServerTypeFamily;
  description: string;
  cores: number;
  memory: number;
  disk: number;
  cpu_type: "shared" | "dedicated";
  architecture: "x86" | "arm";
  category: "cost_optimized" | "regular_purpose" | "general_purpose";
  locations: readonly string[];
  /** Net monthly price in euro in the EU; the US and Singapore are dearer. */
  monthlyNetEur: number;
  /**
   * The type's own deprecation. Once `unavailableAfter` has passed the type is no longer listed by
   * `GET /server_types` (it is still answered by id, for the servers that run it).
   */
  deprecation: CatalogDeprecation | null;
  /** The deprecation of the type in each of its locations: it cannot be ordered there after it. */
  locationDeprecation: CatalogDeprecation | null;
}

/** How much dearer a region is than the EU. */
export const REGION_PRICE_FACTOR: Readonly<Record<PriceRegion, number>> = {
  eu: 1,
  us: 1.2,
  sg: 1.4,
};

// Hetzner's changelog of 2025-10-16: the 2024 CX and CPX generations can no longer be ordered
// from 2026-01-01. The CX generation (EU only) is gone everywhere, so it is no longer listed; the
// CPX generation is still listed with every location deprecated ("unsupported location for
// server type" on create), as other projects saw through 2026.
const OCTOBER_2025: CatalogDeprecation = {
  announced: "2025-10-16T09:00:00Z",
  unavailableAfter: "2026-01-01T00:00:00Z",
};

/** One size of a family: memory and disk in GB, the price as `monthlyNetEur`. */
type Size = readonly [
  id: number,
  name: string,
  cores: number,
  memory: number,
  disk: number,
  monthlyNetEur: number,
];

type SizeFields = "id" | "name" | "cores" | "memory" | "disk" | "monthlyNetEur" | "description";

function family(
  shared: Omit<CatalogServerType, SizeFields>,
  sizes: readonly Size[],
): CatalogServerType[] {
  return sizes.map(([id, name, cores, memory, disk, monthlyNetEur]) => ({
    ...shared,
    id,
    name,
    cores,
    memory,
    disk,
    monthlyNetEur,
    description: name.toUpperCase(),
  }));
}

type Line = Omit<CatalogServerType, SizeFields | "deprecation" | "locationDeprecation">;

const CX: Line = {
  family: "cx",
  cpu_type: "shared",
  architecture: "x86",
  category: "cost_optimized",
  locations: EU_LOCATIONS,
};
const CPX: Line = {
  family: "cpx",
  cpu_type: "shared",
  architecture: "x86",
  category: "regular_purpose",
  locations: ALL_LOCATIONS,
};
const CAX: Line = {
  family: "cax",
  cpu_type: "shared",
  architecture: "arm",
  category: "cost_optimized",
  locations: EU_LOCATIONS,
};
const CCX: Line = {
  family: "ccx",
  cpu_type: "dedicated",
  architecture: "x86",
  category: "general_purpose",
  locations: ALL_LOCATIONS,
};
const current = { deprecation: null, locationDeprecation: null } as const;

export const SERVER_TYPES: readonly CatalogServerType[] = [
  ...family({ ...CX, ...current }, [
    [114, "cx23", 2, 4, 40, 3.49],
    [115, "cx33", 4, 8, 80, 5.99],
    [116, "cx43", 8, 16, 160, 10.99],
    [117, "cx53", 16, 32, 320, 19.99],
  ]),
  ...family({ ...CPX, ...current }, [
    [108, "cpx12", 1, 2, 40, 5.49],
    [109, "cpx22", 2, 4, 80, 7.99],
    [110, "cpx32", 4, 8, 160, 13.99],
    [111, "cpx42", 8, 16, 320, 25.49],
    [112, "cpx52", 12, 24, 480, 36.99],
    [113, "cpx62", 16, 32, 640, 49.99],
  ]),
  ...family({ ...CAX, ...current }, [
    [45, "cax11", 2, 4, 40, 4.49],
    [93, "cax21", 4, 8, 80, 7.99],
    [94, "cax31", 8, 16, 160, 15.49],
    [95, "cax41", 16, 32, 320, 30.49],
  ]),
  ...family({ ...CCX, ...current }, [
    [96, "ccx13", 2, 8, 80, 15.99],
    [97, "ccx23", 4, 16, 160, 31.49],
    [98, "ccx33", 8, 32, 240, 62.49],
    [99, "ccx43", 16, 64, 360, 124.49],
    [100, "ccx53", 32, 128, 600, 248.49],
    [101, "ccx63", 48, 192, 960, 372.49],
  ]),
  ...family({ ...CX, deprecation: OCTOBER_2025, locationDeprecation: OCTOBER_2025 }, [
    [104, "cx22", 2, 4, 40, 4.59],
    [105, "cx32", 4, 8, 80, 8.09],
    [106, "cx42", 8, 16, 160, 19.59],
    [107, "cx52", 16, 32, 320, 38.59],
  ]),
  ...family({ ...CPX, deprecation: null, locationDeprecation: OCTOBER_2025 }, [
    [22, "cpx11", 2, 2, 40, 5.99],
    [23, "cpx21", 3, 4, 80, 10.49],
    [24, "cpx31", 4, 8, 160, 19.49],
    [25, "cpx41", 8, 16, 240, 35.49],
    [26, "cpx51", 16, 32, 360, 70.49],
  ]),
];

export const SERVER_TYPE_FAMILIES: readonly ServerTypeFamily[] = ["cx", "cpx", "cax", "ccx"];

/** Whether `deprecation` has taken effect at `now` (epoch ms). */
export function isPast(deprecation: CatalogDeprecation | null, now: number): boolean {
  return deprecation !== null && Date.parse(deprecation.unavailableAfter) <= now;
}
