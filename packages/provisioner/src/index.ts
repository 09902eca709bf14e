export type { BootReport, BootReportFailure, BootReportStage } from "@tailvm/cloud-init";
export { REDACTED } from "@tailvm/internal";
export {
  type BootReportInbox,
  type BootReportSource,
  createBootReportInbox,
} from "./boot-report-inbox.js";
export { type Clock, systemClock } from "./clock.js";
export { type ConsoleLoggerOptions, consoleLogger } from "./console-logger.js";
export type { ProvisionContext } from "./context.js";
export {
  DeprovisionError,
  type DeprovisionOptions,
  type DeprovisionTarget,
} from "./deprovision-vm.js";
export {
  type InputIssue,
  ProvisionError,
  ProvisionerError,
  ProvisionInputError,
  ProvisionOutputError,
} from "./errors.js";
export { functionOutput } from "./function-output.js";
export { jsonFileOutput } from "./json-file-output.js";
export { type JsonLoggerOptions, jsonLogger } from "./json-logger.js";
export { LABEL_KEYS, MANAGED_BY_VALUE } from "./labels.js";
export { type Logger, type LogLevel, silentLogger } from "./logger.js";
export { deprovisionVM, provisionVM, reap } from "./one-shot.js";
export type { Output, ProvisionOutcome } from "./output.js";
export { type MachineRequirementPlan, type ProvisionPlan, plan } from "./plan.js";
export {
  createProvisioner,
  type ProvisionCallOptions,
  type Provisioner,
} from "./provisioner.js";
export type { ReapOptions, ReapReport } from "./reap.js";
export { LOCATIONS, REGIONS } from "./regions.js";
export type { HetznerCredentials, TailscaleCredentials } from "./scope-clients.js";
export { parseTtl } from "./ttl.js";
export type {
  CleanupReport,
  MachineRequirement,
  Phase,
  PlacementCandidate,
  PricedCandidate,
  ProvisionEvent,
  ProvisionFailure,
  ProvisionOptions,
  ProvisionResult,
  ResourceKind,
  RunInfo,
  ServerPrice,
  SshdMode,
} from "./types.js";
export { validateProvisionOptions } from "./validate-provision-options.js";
export {
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookHeaders,
  type WebhookRejection,
  WebhookVerificationError,
} from "./verify-webhook.js";
export {
  type DeprovisionedVm,
  WebhookDeliveryError,
  type WebhookOutputOptions,
  webhookOutput,
} from "./webhook-output.js";
export {
  type VmDeprovisionedData,
  type VmProvisionedData,
  type VmProvisionFailedData,
  WEBHOOK_PAYLOAD_VERSION,
  type WebhookEventType,
  type WebhookMetadata,
  type WebhookPayload,
} from "./webhook-payload.js";
