import { randomUUID } from "node:crypto";
import { anySignal, errorMessage, parseRetryAfter } from "@tailvm/internal";
import { type Clock, systemClock } from "./clock.js";
import { ProvisionerError, ProvisionInputError } from "./errors.js";
import type { Output, ProvisionOutcome } from "./output.js";
import { createWebhook } from "./webhook-key.js";

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
  /** Builds the JSON body from the outcome. Default `{ type, timestamp, data }` (see README). */
  body?: (outcome: ProvisionOutcome) => object;
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

/** The default body: Standard Webhooks' recommended `{ type, timestamp, data }` envelope. */
export function defaultWebhookBody(outcome: ProvisionOutcome, now: number): object {
  return outcome.status === "success"
    ? {
        type: "provision.succeeded",
        timestamp: new Date(now).toISOString(),
        data: { status: "success", ...outcome.result, runId: outcome.run.runId },
      }
    : {
        type: "provision.failed",
        timestamp: new Date(now).toISOString(),
        data: { status: "failure", ...outcome.failure, runId: outcome.run.runId },
      };
}

/**
 * An output that POSTs the outcome as JSON, signed per Standard Webhooks (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`). Failed attempts are retried with exponential backoff,
 * keeping the same `webhook-id` so the receiver can de-duplicate; each attempt is signed afresh.
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
  if (problems.length > 0 || !url || !webhook) throw new ProvisionInputError(problems);

  const target = url;
  const signer = webhook;
  const clock = options.clock ?? systemClock;
  const fetcher = options.fetch ?? globalThis.fetch;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  // The URL may carry a token in its query: messages show only origin and path.
  const where = `${target.origin}${target.pathname}`;

  const send = async (outcome: ProvisionOutcome, signal?: AbortSignal) => {
    const payload = JSON.stringify(
      options.body ? options.body(outcome) : defaultWebhookBody(outcome, clock.now()),
    );
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

  return {
    name: `webhook ${where}`,
    secrets: [options.secret],
    send,
    success: (result, run, signal) => send({ status: "success", result, run }, signal),
    failure: (failure, run, signal) => send({ status: "failure", failure, run }, signal),
  };
}
