export { CloudConfigError, type CloudConfigIssue, CloudConfigValidationError } from "./errors.js";
export { mergeCloudConfig } from "./merge-cloud-config.js";
export {
  BOOT_REPORT_SETTINGS_PATH,
  type BootReport,
  type BootReportFailure,
  type BootReportOptions,
  type BootReportStage,
  bootReport,
} from "./modules/boot-report.js";
export { type ReadySignalOptions, readySignal } from "./modules/ready-signal.js";
export { SSH_HARDENING_CONFIG_PATH, sshHardening } from "./modules/ssh-hardening.js";
export {
  SSHD_NONLOCAL_BIND_SYSCTL_PATH,
  SSHD_TAILNET_CONFIG_PATH,
  SSHD_TAILNET_PROGRAM_PATH,
  type SshdAccess,
  sshdAccess,
} from "./modules/sshd-access.js";
export { SWAP_FILE_PATH, swapFile } from "./modules/swap-file.js";
export {
  TAILSCALE_APT_KEY_FINGERPRINT,
  TAILSCALE_APT_REPOSITORY,
  TAILSCALE_AUTH_KEY_PATH,
  TAILSCALE_KEYRING_PATH,
  TAILSCALE_SYSCTL_PATH,
  type TailscaleOptions,
  tailscale,
} from "./modules/tailscale.js";
export {
  UNATTENDED_UPGRADES_CONFIG_PATH,
  unattendedUpgrades,
} from "./modules/unattended-upgrades.js";
export { preview, type RenderOptions, render } from "./render.js";
export type { ShellScript } from "./render-mime.js";
export { CLOUD_CONFIG_HEADER } from "./render-yaml.js";
export { isSecret, REDACTED_TEXT, Secret, secret } from "./secret.js";
export type {
  AptConfig,
  AptSource,
  CloudConfig,
  CloudConfigUser,
  Command,
  NtpConfig,
  PhoneHomeConfig,
  PhoneHomeField,
  PowerStateConfig,
  SwapConfig,
  Text,
  WriteFile,
} from "./types.js";
export { USER_DATA_LIMIT_BYTES, type ValidateOptions, validate } from "./validate.js";
