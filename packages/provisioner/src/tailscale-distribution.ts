/**
 * Which of Tailscale's apt repositories (pkgs.tailscale.com/stable/<distribution>) a VM installs
 * from.
 *
 * @example
 * ```ts
 * const distribution: TailscaleDistribution = "debian";
 * ```
 */
export type TailscaleDistribution = "ubuntu" | "debian";

/** The distributions Tailscale's apt repositories serve, which the Tailscale module can install from. */
export const TAILSCALE_DISTRIBUTIONS: readonly TailscaleDistribution[] = ["ubuntu", "debian"];

/** Hetzner image families without apt: the Tailscale module cannot install on them. */
const NON_APT_FAMILIES = ["fedora", "centos", "rocky", "alma", "opensuse"];

/** The family of an image name: `debian` for `debian-12`, `undefined` for a snapshot id. */
function familyOf(image: string): string | undefined {
  return /^([a-z]+)-/i.exec(image)?.[1]?.toLowerCase();
}

/**
 * The Tailscale apt repository for `image`: `debian` for `debian-*`, otherwise `ubuntu` (also for
 * snapshots and custom images, whose family the name does not tell: pass `tailscale.distribution`
 * for a Debian-based one).
 */
export function distributionForImage(image: string): TailscaleDistribution {
  return familyOf(image) === "debian" ? "debian" : "ubuntu";
}

/**
 * Why `image` and an explicit `distribution` cannot work together, or why `image` cannot install
 * Tailscale at all; `undefined` when they can.
 */
export function distributionProblem(
  image: string,
  distribution: TailscaleDistribution | undefined,
): { field: "image" | "tailscale.distribution"; message: string } | undefined {
  const family = familyOf(image);
  if (family !== undefined && NON_APT_FAMILIES.includes(family)) {
    return {
      field: "image",
      message: `${image} has no apt, and the Tailscale module installs from Tailscale's apt repository: use an ubuntu-* or debian-* image (or a snapshot of one)`,
    };
  }
  if (
    distribution !== undefined &&
    (family === "ubuntu" || family === "debian") &&
    family !== distribution
  ) {
    return {
      field: "tailscale.distribution",
      message: `is "${distribution}" but the image ${image} is ${family}: apt would find no Tailscale package for its release. Leave it out to follow the image`,
    };
  }
  return undefined;
}
