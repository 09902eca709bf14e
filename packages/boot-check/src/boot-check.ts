import type { BootCheckResult } from "./boot-result.js";
import {
  type BootCheckerOptions,
  type BootCheckOptions,
  createBootChecker,
} from "./create-boot-checker.js";

/**
 * Boots `userData` once through real cloud-init in a local VM and reports what it did: the
 * one-call form of {@link createBootChecker} (the image is built on first use and cached).
 *
 * @example
 * ```ts
 * import { bootCheck, formatBootCheckReport } from "@tailvm/boot-check";
 * const result = await bootCheck({ userData: render(config), image: "debian-12" });
 * process.stdout.write(formatBootCheckReport(result));
 * if (!result.ok) process.exitCode = 1;
 * ```
 */
export async function bootCheck(
  options: BootCheckOptions & BootCheckerOptions,
): Promise<BootCheckResult> {
  const checker = createBootChecker(options);
  try {
    return await checker.check(options);
  } finally {
    await checker.close();
  }
}
