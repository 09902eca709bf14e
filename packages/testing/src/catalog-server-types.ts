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

interface Size {
  id: number;
  name: string;
  cores: number;
  memory: number;
  disk: number;
  monthlyNetEur: number;
}

function family(
  shared: Omit<CatalogServerType, keyof Size | "description">,
  sizes: Size[],
): CatalogServerType[] {
  return sizes.map((size) => ({ ...shared, ...size, description: size.name.toUpperCase() }));
}

type Line = Omit<
  CatalogServerType,
  keyof Size | "description" | "deprecation" | "locationDeprecation"
>;

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
    { id: 114, name: "cx23", cores: 2, memory: 4, disk: 40, monthlyNetEur: 3.49 },
    { id: 115, name: "cx33", cores: 4, memory: 8, disk: 80, monthlyNetEur: 5.99 },
    { id: 116, name: "cx43", cores: 8, memory: 16, disk: 160, monthlyNetEur: 10.99 },
    { id: 117, name: "cx53", cores: 16, memory: 32, disk: 320, monthlyNetEur: 19.99 },
  ]),
  ...family({ ...CPX, ...current }, [
    { id: 108, name: "cpx12", cores: 1, memory: 2, disk: 40, monthlyNetEur: 5.49 },
    { id: 109, name: "cpx22", cores: 2, memory: 4, disk: 80, monthlyNetEur: 7.99 },
    { id: 110, name: "cpx32", cores: 4, memory: 8, disk: 160, monthlyNetEur: 13.99 },
    { id: 111, name: "cpx42", cores: 8, memory: 16, disk: 320, monthlyNetEur: 25.49 },
    { id: 112, name: "cpx52", cores: 12, memory: 24, disk: 480, monthlyNetEur: 36.99 },
    { id: 113, name: "cpx62", cores: 16, memory: 32, disk: 640, monthlyNetEur: 49.99 },
  ]),
  ...family({ ...CAX, ...current }, [
    { id: 45, name: "cax11", cores: 2, memory: 4, disk: 40, monthlyNetEur: 4.49 },
    { id: 93, name: "cax21", cores: 4, memory: 8, disk: 80, monthlyNetEur: 7.99 },
    { id: 94, name: "cax31", cores: 8, memory: 16, disk: 160, monthlyNetEur: 15.49 },
    { id: 95, name: "cax41", cores: 16, memory: 32, disk: 320, monthlyNetEur: 30.49 },
  ]),
  ...family({ ...CCX, ...current }, [
    { id: 96, name: "ccx13", cores: 2, memory: 8, disk: 80, monthlyNetEur: 15.99 },
    { id: 97, name: "ccx23", cores: 4, memory: 16, disk: 160, monthlyNetEur: 31.49 },
    { id: 98, name: "ccx33", cores: 8, memory: 32, disk: 240, monthlyNetEur: 62.49 },
    { id: 99, name: "ccx43", cores: 16, memory: 64, disk: 360, monthlyNetEur: 124.49 },
    { id: 100, name: "ccx53", cores: 32, memory: 128, disk: 600, monthlyNetEur: 248.49 },
    { id: 101, name: "ccx63", cores: 48, memory: 192, disk: 960, monthlyNetEur: 372.49 },
  ]),
  ...family({ ...CX, deprecation: OCTOBER_2025, locationDeprecation: OCTOBER_2025 }, [
    { id: 104, name: "cx22", cores: 2, memory: 4, disk: 40, monthlyNetEur: 4.59 },
    { id: 105, name: "cx32", cores: 4, memory: 8, disk: 80, monthlyNetEur: 8.09 },
    { id: 106, name: "cx42", cores: 8, memory: 16, disk: 160, monthlyNetEur: 19.59 },
    { id: 107, name: "cx52", cores: 16, memory: 32, disk: 320, monthlyNetEur: 38.59 },
  ]),
  ...family({ ...CPX, deprecation: null, locationDeprecation: OCTOBER_2025 }, [
    { id: 22, name: "cpx11", cores: 2, memory: 2, disk: 40, monthlyNetEur: 5.99 },
    { id: 23, name: "cpx21", cores: 3, memory: 4, disk: 80, monthlyNetEur: 10.49 },
    { id: 24, name: "cpx31", cores: 4, memory: 8, disk: 160, monthlyNetEur: 19.49 },
    { id: 25, name: "cpx41", cores: 8, memory: 16, disk: 240, monthlyNetEur: 35.49 },
    { id: 26, name: "cpx51", cores: 16, memory: 32, disk: 360, monthlyNetEur: 70.49 },
  ]),
];

export const SERVER_TYPE_FAMILIES: readonly ServerTypeFamily[] = ["cx", "cpx", "cax", "ccx"];

/** Whether `deprecation` has taken effect at `now` (epoch ms). */
export function isPast(deprecation: CatalogDeprecation | null, now: number): boolean {
  return deprecation !== null && Date.parse(deprecation.unavailableAfter) <= now;
}
