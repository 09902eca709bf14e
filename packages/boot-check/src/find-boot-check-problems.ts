import { homedir } from "node:os";
import { join } from "node:path";
import { cachedImage } from "./build-image.js";
import { findHostTools } from "./host-tools.js";
import { BOOT_IMAGES, type BootImage } from "./images.js";

export const BOOT_CHECK_TOOLS = [
  "qemu",
  "mkfsExt4",
  "debugfs",
  "e2fsck",
  "mkfsVfat",
  "mcopy",
  "gpg",
  "gpgconf",
  "dpkgDeb",
  "cp",
] as const;

/**
 * Why this machine cannot run a boot check of `images` (one line per missing tool, with the
 * package to install), or an empty list. mmdebstrap and root count only for an image that is not
 * in the cache yet; the mirror is checked when the image is built.
 *
 * @example
 * ```ts
 * const problems = findBootCheckProblems({ images: ["debian-12"] });
 * if (problems.length > 0) console.error(problems.join("\n"));
 * ```
 */
export function findBootCheckProblems(
  options: { cacheDirectory?: string; images?: readonly BootImage[] } = {},
): string[] {
  const { missing } = findHostTools(BOOT_CHECK_TOOLS);
  const cacheDirectory = resolveCacheDirectory(options.cacheDirectory);
  const toBuild = (options.images ?? BOOT_IMAGES).filter(
    (image) => !cachedImage(cacheDirectory, image).cached,
  );
  if (toBuild.length > 0) {
    missing.push(...findHostTools(["mmdebstrap"]).missing);
    if (process.getuid?.() !== 0) {
      missing.push(
        `root, to build ${toBuild.join(" and ")} with mmdebstrap (once; later runs use ${cacheDirectory})`,
      );
    }
  }
  return missing;
}

export function resolveCacheDirectory(cacheDirectory: string | undefined): string {
  return (
    cacheDirectory ?? process.env.TAILVM_BOOT_CACHE ?? join(homedir(), ".cache", "tailvm", "boot")
  );
}
