import { CloudConfigValidationError } from "../errors.js";
import type { CloudConfig } from "../types.js";

/**
 * Where {@link swapFile} puts the swap file.
 *
 * @example
 * ```ts
 * swapFile(512).swap?.filename === SWAP_FILE_PATH; // true
 * ```
 */
export const SWAP_FILE_PATH = "/swapfile";

/**
 * A fragment that creates and enables a swap file of `sizeMb` MiB at `/swapfile` through
 * cloud-init's `swap` setting (mounts module).
 *
 * @example
 * ```ts
 * import { swapFile } from "@tailvm/cloud-init";
 * swapFile(2048); // { swap: { filename: "/swapfile", size: "2048M" } }
 * ```
 */
export function swapFile(sizeMb: number): CloudConfig {
  if (!Number.isInteger(sizeMb) || sizeMb < 1 || sizeMb > 1024 * 1024) {
    throw new CloudConfigValidationError(
      [
        {
          path: "sizeMb",
          message: `must be a whole number of MiB from 1 to 1048576 (got ${String(sizeMb)})`,
        },
      ],
      { subject: "swapFile() size" },
    );
  }
  return { swap: { filename: SWAP_FILE_PATH, size: `${sizeMb}M` } };
}
