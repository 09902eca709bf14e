import type { CleanupReport, Phase, PricedCandidate, ServerPrice } from "./types.js";

/**
 * The version of the webhook payload's schema, sent as `data.version`. Fields may be added within
 * a version; a field removed, renamed or retyped makes a new version.
 *
 * @example
 * ```ts
 * if (payload.data.version !== WEBHOOK_PAYLOAD_VERSION) throw new Error("upgrade the receiver");
 * ```
 */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/**
 * Free-form string metadata the sender adds to every payload, e.g. the GitHub run it came from
 * (`githubRepository`, `githubRunId`, `githubRunAttempt`, `githubRunUrl` from the tailvm action).
 *
 * @example
 * ```ts
 * const metadata: WebhookMetadata = { githubRunUrl: "https://github.com/acme/infra/actions/runs/42" };
 * ```
 */
export type WebhookMetadata = Record<string, string>;

/**
 * `data` of a `vm.provisioned` webhook: the VM is on the tailnet.
 *
 * @example
 * ```ts
 * const ssh = (data: VmProvisionedData) => `ssh root@${data.tailscaleIp}`;
 * ```
 */
export interface VmProvisionedData {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  /** The provisioner's id of this run (the same in every attempt of one delivery). */
  runId: string;
  agentId: string;
  jobId: string | null;
  serverId: number;
  serverName: string;
  serverIpv4: string | null;
  serverIpv6: string | null;
  location: string;
  serverType: string;
  /** The server type's net price in `location`; absent from senders before prices were reported. */
  price?: ServerPrice | null;
  /** The candidates ranked behind the chosen one; absent from senders before prices were reported. */
  alternatives?: PricedCandidate[];
  /** The device's tailnet IPv4 address (100.64.0.0/10). */
  tailscaleIp: string;
  tailscaleIpv6: string | null;
  tailscaleHostname: string;
  tailscaleDeviceId: string;
  /** True when an existing server of the same job was adopted. */
  adopted: boolean;
  /** Milliseconds spent in each phase that ran. */
  timings: Record<string, number>;
  totalMs: number;
  metadata: WebhookMetadata;
}

/**
 * `data` of a `vm.provision_failed` webhook: the run failed and was rolled back, except what
 * `cleanup.failed` lists. `message` is redacted.
 *
 * @example
 * ```ts
 * const leftovers = (data: VmProvisionFailedData) => data.cleanup.failed.length;
 * ```
 */
export interface VmProvisionFailedData {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  runId: string;
  agentId: string;
  jobId: string | null;
  phase: Phase;
  message: string;
  /** A machine-readable code (`timeout`, `aborted`, an API error code), or null. */
  code: string | null;
  serverId: number | null;
  serverName: string | null;
  cleanup: CleanupReport;
  timings: Record<string, number>;
  totalMs: number;
  metadata: WebhookMetadata;
}

/**
 * `data` of a `vm.deprovisioned` webhook: the VM named by `jobId`, `serverId` or `serverName` is
 * gone; `removed` lists what this call deleted (empty when it was already gone).
 *
 * @example
 * ```ts
 * const deletedServer = (data: VmDeprovisionedData) => data.removed.some((item) => item.resource === "server");
 * ```
 */
export interface VmDeprovisionedData {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  jobId: string | null;
  serverId: number | null;
  serverName: string | null;
  removed: CleanupReport["removed"];
  metadata: WebhookMetadata;
}

/**
 * The webhook tailvm sends (the provisioner's `webhookOutput` and the tailvm GitHub Action alike):
 * the Standard Webhooks envelope `{ type, timestamp, data }`, `timestamp` an ISO 8601 time.
 * {@link verifyWebhook} returns it, checked field by field.
 *
 * @example
 * ```ts
 * const payload = await verifyWebhook(request, secret);
 * switch (payload.type) {
 *   case "vm.provisioned": console.log(payload.data.tailscaleIp); break;
 *   case "vm.provision_failed": console.error(payload.data.phase, payload.data.message); break;
 *   case "vm.deprovisioned": console.log(payload.data.removed); break;
 * }
 * ```
 */
export type WebhookPayload =
  | { type: "vm.provisioned"; timestamp: string; data: VmProvisionedData }
  | { type: "vm.provision_failed"; timestamp: string; data: VmProvisionFailedData }
  | { type: "vm.deprovisioned"; timestamp: string; data: VmDeprovisionedData };

/**
 * The `type` of a {@link WebhookPayload}.
 *
 * @example
 * ```ts
 * const handled: WebhookEventType[] = ["vm.provisioned", "vm.provision_failed"];
 * ```
 */
export type WebhookEventType = WebhookPayload["type"];
