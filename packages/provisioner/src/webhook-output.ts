import { randomUUID } from "node:crypto";
import { anySignal, errorMessage, parseRetryAfter } from "@tailvm/internal";
import { type Clock, systemClock } from "./clock.js";
import { ProvisionerError, ProvisionInputError } from "./errors.js";
import type { Output, ProvisionOutcome } from "./output.js";
import type { CleanupReport } from "./types.js";
import { createWebhook } from "./webhook-key.js";
import {
  WEBHOOK_PAYLOAD_VERSION,
  type WebhookMetadata,
  type WebhookPayload,
} from "./webhook-payload.js";

/**
 * Options of {@link webhookOutput}.
 *
 * @example
 * ```ts
 * const options: WebhookOutputOptions = { url: "https://example.com/hooks/vm", secret: process.env.CALLBACK_SECRET!, retries: 5 };
 * ```
 */
export interface WebhookOutputOptions {
  /** Where to POST. `https:`, or `http:` for local receivers. */
  url: string;
  /** Signing secret: a `whsec_<base64>` secret, or any other string used as its UTF-8 bytes. */
  secret: string;
  fetch?: typeof fetch;
  /** Re-sends after the first attempt fails with a network error, 408, 425, 429 or 5xx. Default 3. */
  retries?: number;
  /** Drives the backoff between attempts. Default the system clock. */
  clock?: Clock;
  /**
   * Builds the JSON body from the outcome instead of the {@link WebhookPayload} envelope. A custom
   * body is not what {@link verifyWebhook} accepts: verify it with `standardwebhooks` yourself.
   */
  body?: (outcome: ProvisionOutcome) => object;
  /** Added to every payload as `data.metadata`. Default `{}`. */
  metadata?: WebhookMetadata;
  /** Deadline of each attempt in ms. Default 10 000. */
  attemptTimeoutMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/**
 * The webhook could not be delivered: every attempt failed.
 *
 * @example
 * ```ts
 * if (error instanceof WebhookDeliveryError) console.error(error.status, error.attempts);
 * ```
 */
export class WebhookDeliveryError extends ProvisionerError {
  override name = "WebhookDeliveryError";
  /** The last HTTP status, when the receiver answered. */
  readonly status: number | undefined;
  readonly attempts: number;
  readonly webhookId: string;

  constructor(
    message: string,
    options: { status?: number | undefined; attempts: number; webhookId: string; cause?: unknown },
  ) {
    super(message, { cause: options.cause, isRetryable: true });
    this.status = options.status;
    this.attempts = options.attempts;
    this.webhookId = options.webhookId;
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 30_000;

/**
 * What was deprovisioned, for a `vm.deprovisioned` webhook.
 *
 * @example
 * ```ts
 * const gone: DeprovisionedVm = { jobId: "job-1001", serverId: null, serverName: null, cleanup: report };
 * ```
 */
export interface DeprovisionedVm {
  jobId: string | null;
  serverId: number | null;
  serverName: string | null;
  cleanup: CleanupReport;
}

/** The envelope for one outcome, per {@link WebhookPayload}. */
function outcomePayload(
  outcome: ProvisionOutcome,
  now: number,
  metadata: WebhookMetadata,
): WebhookPayload {
  const timestamp = new Date(now).toISOString();
  const runId = outcome.run.runId;
  if (outcome.status === "success") {
    const result = outcome.result;
    return {
      type: "vm.provisioned",
      timestamp,
      data: {
        version: WEBHOOK_PAYLOAD_VERSION,
        runId,
        agentId: result.agentId,
        jobId: result.jobId,
        serverId: result.serverId,
        serverName: result.serverName,
        serverIpv4: result.serverIpv4,
        serverIpv6: result.serverIpv6,
        location: result.location,
        serverType: result.serverType,
        price: result.price,
        alternatives: result.alternatives,
        tailscaleIp: result.tailscaleIp,
        tailscaleIpv6: result.tailscaleIpv6,
        tailscaleHostname: result.tailscaleHostname,
        tailscaleDeviceId: result.tailscaleDeviceId,
        adopted: result.adopted,
        timings: result.timings,
        totalMs: result.totalMs,
        metadata,
      },
    };
  }
  const failure = outcome.failure;
  return {
    type: "vm.provision_failed",
    timestamp,
    data: {
      version: WEBHOOK_PAYLOAD_VERSION,
      runId,
      agentId: failure.agentId,
      jobId: failure.jobId,
      phase: failure.phase,
      message: failure.message,
      code: failure.code ?? null,
      serverId: failure.serverId,
      serverName: failure.serverName,
      cleanup: failure.cleanup,
      timings: failure.timings,
      totalMs: failure.totalMs,
      metadata,
    },
  };
}

/**
 * An output that POSTs the outcome as JSON, signed per Standard Webhooks (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`). Failed attempts are retried with exponential backoff,
 * keeping the same `webhook-id` so the receiver can de-duplicate; each attempt is signed afresh.
 * The body is a {@link WebhookPayload}: `vm.provisioned` or `vm.provision_failed` from a run, and
 * `vm.deprovisioned` through `deprovisioned()`.
 *
 * @example
 * ```ts
 * await provisionVM(options, {
 *   ...context,
 *   outputs: [webhookOutput({ url: "https://example.com/api/vms/callback", secret: process.env.CALLBACK_SECRET! })],
 * });
 * ```
 */
export function webhookOutput(options: WebhookOutputOptions): Output & {
  /** Sends one outcome now; `signal` ends the delivery. Exposed for callers that deliver outside provisionVM. */
  send(outcome: ProvisionOutcome, signal?: AbortSignal): Promise<void>;
  /** Sends a `vm.deprovisioned` webhook for a VM that `deprovisionVM` removed (or found gone). */
  deprovisioned(vm: DeprovisionedVm, signal?: AbortSignal): Promise<void>;
} {
  const problems: { field: string; message: string }[] = [];
  let url: URL | undefined;
  try {
    url = new URL(options.url);
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      problems.push({ field: "url", message: `must be an http(s) URL; got ${url.protocol}` });
    }
  } catch {
    problems.push({ field: "url", message: "must be an absolute http(s) URL" });
  }
  let webhook: ReturnType<typeof createWebhook> | undefined;
  if (typeof options.secret !== "string" || options.secret === "") {
    problems.push({ field: "secret", message: "is required: the shared signing secret" });
  } else {
    try {
      webhook = createWebhook(options.secret);
    } catch {
      problems.push({
        field: "secret",
        message: "starts with whsec_ but the rest is not valid base64 (or is empty)",
      });
    }
  }
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0) {
    problems.push({ field: "retries", message: "must be a whole number, 0 or more" });
  }
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (typeof value !== "string") {
      problems.push({ field: `metadata.${key}`, message: "must be a string" });
    }
  }
  if (problems.length > 0 || !url || !webhook) throw new ProvisionInputError(problems);

  const target = url;
  const signer = webhook;
  const clock = options.clock ?? systemClock;
  const fetcher = options.fetch ?? globalThis.fetch;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  // The URL may carry a token in its query: messages show only origin and path.
  const where = `${target.origin}${target.pathname}`;

  const metadata = { ...options.metadata };

  const deliver = async (body: object, signal?: AbortSignal) => {
    const payload = JSON.stringify(body);
    const webhookId = `msg_${randomUUID().replaceAll("-", "")}`;
    let lastStatus: number | undefined;
    let lastError: unknown;
    const attempts = retries + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      signal?.throwIfAborted();
      const timestamp = new Date(clock.now());
      let waitMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempt - 1));
      try {
        const response = await fetcher(target, {
          method: "POST",
          headers: {
            ...options.headers,
            "content-type": "application/json",
            "webhook-id": webhookId,
            "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
            "webhook-signature": signer.sign(webhookId, timestamp, payload),
          },
          body: payload,
          signal: anySignal(signal, AbortSignal.timeout(attemptTimeoutMs)),
        });
        await response.body?.cancel();
        if (response.ok) return;
        lastStatus = response.status;
        lastError = undefined;
        if (!RETRYABLE_STATUS.has(response.status)) break;
        waitMs = Math.min(
          MAX_BACKOFF_MS,
          parseRetryAfter(response.headers.get("retry-after"), clock.now()) ?? waitMs,
        );
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        lastError = error;
        lastStatus = undefined;
      }
      if (attempt < attempts) await clock.sleep(waitMs, signal);
    }
    const what =
      lastStatus === undefined
        ? `could not be reached (${lastError === undefined ? "network error" : errorMessage(lastError)})`
        : `answered HTTP ${lastStatus}`;
    throw new WebhookDeliveryError(
      `Webhook POST ${where} ${what}; gave up after ${lastStatus !== undefined && !RETRYABLE_STATUS.has(lastStatus) ? "a non-retryable answer" : `${attempts} attempts`} (webhook-id ${webhookId}). Check that the receiver is up and accepts the signature.`,
      { status: lastStatus, attempts, webhookId, cause: lastError },
    );
  };

  const send = (outcome: ProvisionOutcome, signal?: AbortSignal) =>
    deliver(
      options.body ? options.body(outcome) : outcomePayload(outcome, clock.now(), metadata),
      signal,
    );

  return {
    name: `webhook ${where}`,
    secrets: [options.secret],
    send,
    deprovisioned: (vm, signal) =>
      deliver(
        {
          type: "vm.deprovisioned",
          timestamp: new Date(clock.now()).toISOString(),
          data: {
            version: WEBHOOK_PAYLOAD_VERSION,
            jobId: vm.jobId,
            serverId: vm.serverId,
            serverName: vm.serverName,
            removed: vm.cleanup.removed,
            metadata,
          },
        } satisfies WebhookPayload,
        signal,
      ),
    success: (result, run, signal) => send({ status: "success", result, run }, signal),
    failure: (failure, run, signal) => send({ status: "failure", failure, run }, signal),
  };
}
