import type { BootCheckerOptions, BootCheckOptions } from "./create-boot-checker.js";
import { BootCheckError } from "./errors.js";
import { BOOT_IMAGES } from "./images.js";

export function checkCheckerOptions(options: BootCheckerOptions): void {
  const problems: string[] = [];
  const whole = (value: unknown, low: number, high: number) =>
    Number.isSafeInteger(value) && (value as number) >= low && (value as number) <= high;
  if (options.memoryMb !== undefined && !whole(options.memoryMb, 512, 65_536)) {
    problems.push(`memoryMb must be a whole number from 512 to 65536 (got ${options.memoryMb})`);
  }
  if (options.cpus !== undefined && !whole(options.cpus, 1, 64)) {
    problems.push(`cpus must be a whole number from 1 to 64 (got ${options.cpus})`);
  }
  if (options.bootTimeoutMs !== undefined && !whole(options.bootTimeoutMs, 30_000, 86_400_000)) {
    problems.push(`bootTimeoutMs must be at least 30000 (got ${options.bootTimeoutMs})`);
  }
  if (options.accelerator !== undefined && !["auto", "kvm", "tcg"].includes(options.accelerator)) {
    problems.push(
      `accelerator must be "auto", "kvm" or "tcg" (got ${String(options.accelerator)})`,
    );
  }
  if (problems.length > 0) {
    throw new BootCheckError(`Invalid boot checker options: ${problems.join("; ")}.`, {
      phase: "input",
    });
  }
}

export function checkBootOptions(options: BootCheckOptions): void {
  const problems: string[] = [];
  if (typeof options.userData !== "string" || options.userData.trim() === "") {
    problems.push("userData must be the user data text (#cloud-config, a script or MIME)");
  }
  if (options.image !== undefined && !BOOT_IMAGES.includes(options.image)) {
    problems.push(`image must be one of ${BOOT_IMAGES.join(", ")} (got ${String(options.image)})`);
  }
  if (options.hostname !== undefined && !/^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(options.hostname)) {
    problems.push(`hostname must be one RFC 1123 label (got ${JSON.stringify(options.hostname)})`);
  }
  if (problems.length > 0) {
    throw new BootCheckError(`Invalid boot check: ${problems.join("; ")}.`, { phase: "input" });
  }
}
