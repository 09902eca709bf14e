export { bootCheck } from "./boot-check.js";
export type * from "./boot-result.js";
export {
  type BootChecker,
  type BootCheckerOptions,
  type BootCheckOptions,
  createBootChecker,
} from "./create-boot-checker.js";
export { BootCheckError, type BootCheckPhase, BootCheckUnavailableError } from "./errors.js";
export { findBootCheckProblems } from "./find-boot-check-problems.js";
export { formatBootCheckReport } from "./format-report.js";
export { BOOT_IMAGES, type BootImage } from "./images.js";
export type { BootCheckLogger } from "./logger.js";
export type { GuestRequest, ReceivedBootReport } from "./repository-server.js";
export { GUEST_SERVER_ADDRESS } from "./run-vm.js";
export { rewriteForStubRepository } from "./stub-rewrite.js";
