/** Hetzner's system images: one per architecture under the same name, x86 first. */

export interface CatalogImage {
  id: number;
  name: string;
  description: string;
  os_flavor: "ubuntu" | "debian";
  os_version: string;
  architecture: "x86" | "arm";
  created: string;
  /** When the image was deprecated (still usable, listed only with `include_deprecated`). */
  deprecated: string | null;
}

interface Release {
  name: string;
  description: string;
  os_flavor: CatalogImage["os_flavor"];
  os_version: string;
  created: string;
  deprecated?: string;
  ids: { x86: number; arm: number };
}

const RELEASES: Release[] = [
  {
    name: "ubuntu-24.04",
    description: "Ubuntu 24.04",
    os_flavor: "ubuntu",
    os_version: "24.04",
    created: "2024-04-25T12:00:00Z",
    ids: { x86: 161547269, arm: 161547270 },
  },
  {
    name: "ubuntu-22.04",
    description: "Ubuntu 22.04",
    os_flavor: "ubuntu",
    os_version: "22.04",
    created: "2022-04-21T13:32:38Z",
    ids: { x86: 67794396, arm: 103908070 },
  },
  {
    name: "ubuntu-20.04",
    description: "Ubuntu 20.04",
    os_flavor: "ubuntu",
    os_version: "20.04",
    created: "2020-04-23T19:55:14Z",
    deprecated: "2025-06-02T00:00:00Z",
    ids: { x86: 15512617, arm: 103908130 },
  },
  {
    name: "debian-13",
    description: "Debian 13",
    os_flavor: "debian",
    os_version: "13",
    created: "2025-08-11T10:00:00Z",
    ids: { x86: 310557660, arm: 310557661 },
  },
  {
    name: "debian-12",
    description: "Debian 12",
    os_flavor: "debian",
    os_version: "12",
    created: "2023-06-13T06:00:02Z",
    ids: { x86: 114690387, arm: 114690389 },
  },
];

export const IMAGES: readonly CatalogImage[] = RELEASES.flatMap((release) =>
  (["x86", "arm"] as const).map((architecture) => ({
    id: release.ids[architecture],
    name: release.name,
    description: release.description,
    os_flavor: release.os_flavor,
    os_version: release.os_version,
    architecture,
    created: release.created,
    deprecated: release.deprecated ?? null,
  })),
).sort((a, b) => a.id - b.id);
