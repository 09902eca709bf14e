import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { errorMessage } from "@tailvm/internal";
import { BootCheckError, BootCheckUnavailableError } from "./errors.js";
import type { HostTools } from "./host-tools.js";
import { type BootImage, imageRecipe, recipeKey } from "./images.js";
import type { BootCheckLogger } from "./logger.js";
import { runChecked } from "./run-command.js";

/** A built image in the cache: a raw ext4 root file system and the kernel and initrd to boot it. */
export interface BuiltImage {
  image: BootImage;
  key: string;
  rootfs: string;
  kernel: string;
  initrd: string;
  /** Built by this call rather than found in the cache. */
  built: boolean;
}

export interface EnsureImageOptions {
  image: BootImage;
  cacheDirectory: string;
  mirror: string;
  tools: Pick<HostTools, "mmdebstrap" | "mkfsExt4">;
  fetch: typeof globalThis.fetch;
  logger: BootCheckLogger;
  signal?: AbortSignal | undefined;
  niceness?: number | undefined;
}

const BUILD_TIMEOUT_MS = 20 * 60_000;

/** The cache directory of `image`'s current recipe, and whether a finished build is there. */
export function cachedImage(
  cacheDirectory: string,
  image: BootImage,
): { directory: string; key: string; cached: boolean } {
  const key = recipeKey(imageRecipe(image));
  const directory = join(cacheDirectory, `${image}-${key}`);
  return { directory, key, cached: existsSync(join(directory, "recipe.json")) };
}

/**
 * The cached image for the current recipe of `image`, built with mmdebstrap when missing (about
 * 80 s). Concurrent builders each build into their own directory and the first rename wins, so a
 * half-built image is never used; older builds of the same image are removed.
 */
export async function ensureImage(options: EnsureImageOptions): Promise<BuiltImage> {
  const recipe = imageRecipe(options.image);
  const { directory: final, key, cached } = cachedImage(options.cacheDirectory, options.image);
  const paths = (directory: string) => ({
    rootfs: join(directory, "rootfs.ext4"),
    kernel: join(directory, "vmlinuz"),
    initrd: join(directory, "initrd.img"),
  });
  if (cached) return { image: options.image, key, ...paths(final), built: false };
  if (process.getuid?.() !== 0) {
    throw new BootCheckUnavailableError([
      `building the ${options.image} image needs root (mmdebstrap's root mode, and mkfs.ext4 must see root-owned files); run once as root to fill ${options.cacheDirectory}`,
    ]);
  }
  await checkMirror(options, recipe.suite);
  mkdirSync(options.cacheDirectory, { recursive: true });
  const partial = `${final}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  const root = join(partial, "root");
  const uploads = join(partial, "uploads");
  mkdirSync(uploads, { recursive: true });
  try {
    const uploadHooks = Object.entries(recipe.files).map(([guestPath, content], index) => {
      const hostPath = join(uploads, String(index));
      writeFileSync(hostPath, content);
      return `upload ${hostPath} ${guestPath}`;
    });
    options.logger.info(
      `building the ${options.image} image with mmdebstrap from ${options.mirror} (about 80 s; cached in ${final})`,
    );
    await runChecked(
      options.tools.mmdebstrap,
      [
        "--variant=apt",
        "--format=directory",
        `--include=${recipe.include.join(",")}`,
        ...[...uploadHooks, ...recipe.hooks].map((hook) => `--customize-hook=${hook}`),
        recipe.suite,
        root,
        options.mirror,
      ],
      {
        phase: "image",
        what: `Building the ${options.image} image`,
        timeoutMs: BUILD_TIMEOUT_MS,
        signal: options.signal,
        niceness: options.niceness,
      },
    );
    const boot = readdirSync(join(root, "boot"));
    const kernel = boot.find((name) => name.startsWith("vmlinuz-"));
    const initrd = boot.find((name) => name.startsWith("initrd.img-"));
    if (kernel === undefined || initrd === undefined) {
      throw new BootCheckError(`The ${options.image} image has no kernel or initrd in /boot.`, {
        phase: "image",
      });
    }
    const built = paths(partial);
    await copyFile(join(root, "boot", kernel), built.kernel);
    await copyFile(join(root, "boot", initrd), built.initrd);
    await runChecked(
      options.tools.mkfsExt4,
      ["-q", "-F", "-L", "root", "-d", root, built.rootfs, `${recipe.sizeGigabytes}G`],
      {
        phase: "image",
        what: `Making the ${options.image} file system`,
        timeoutMs: 5 * 60_000,
        signal: options.signal,
        niceness: options.niceness,
      },
    );
    rmSync(root, { recursive: true, force: true });
    rmSync(uploads, { recursive: true, force: true });
    writeFileSync(join(partial, "recipe.json"), `${JSON.stringify({ key, ...recipe }, null, 1)}\n`);
    try {
      renameSync(partial, final);
    } catch (error) {
      // Another builder finished first: keep its image.
      if (!existsSync(join(final, "recipe.json"))) throw error;
      rmSync(partial, { recursive: true, force: true });
      return { image: options.image, key, ...paths(final), built: false };
    }
    pruneOlderBuilds(options.cacheDirectory, options.image, final);
    return { image: options.image, key, ...paths(final), built: true };
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

async function checkMirror(options: EnsureImageOptions, suite: string): Promise<void> {
  const url = `${options.mirror.replace(/\/+$/, "")}/dists/${suite}/InRelease`;
  try {
    const response = await options.fetch(url, {
      method: "HEAD",
      signal: AbortSignal.any([
        AbortSignal.timeout(20_000),
        ...(options.signal ? [options.signal] : []),
      ]),
    });
    if (response.ok) return;
    throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new BootCheckUnavailableError([
      `the Debian mirror ${options.mirror} does not answer for ${suite} (${errorMessage(error)}); set TAILVM_BOOT_MIRROR or the mirror option to one that does`,
    ]);
  }
}

/** Removes older builds of `image`, and partial builds whose builder is gone. */
function pruneOlderBuilds(cacheDirectory: string, image: BootImage, keep: string): void {
  for (const name of readdirSync(cacheDirectory)) {
    const path = join(cacheDirectory, name);
    const builder = /\.partial-(\d+)-/.exec(name)?.[1];
    const stale =
      builder === undefined
        ? path !== keep && name.startsWith(`${image}-`)
        : !isRunning(Number(builder));
    if (stale) rmSync(path, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
