import { timingSafeEqual } from "node:crypto";
import { ProvisionerError } from "./errors.js";
import { createWebhook } from "./webhook-key.js";

/**
 * Why a webhook was rejected.
 *
 * @example
 * ```ts
 * const status = (reason: WebhookRejection) => (reason === "invalid-body" ? 400 : 401);
 * ```
 */
export type WebhookRejection =
  | "missing-headers"
  | "invalid-timestamp"
  | "timestamp-too-old"
  | "timestamp-too-new"
  | "invalid-signature"
  | "invalid-body";

/**
 * A received webhook failed verification: answer 401 (or 400 for `invalid-body`).
 *
 * @example
 * ```ts
 * try {
 *   await verifyWebhook(request, secret);
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) return new Response(null, { status: 401 });
 *   throw error;
 * }
 * ```
 */
export class WebhookVerificationError extends ProvisionerError {
  override name = "WebhookVerificationError";
  readonly reason: WebhookRejection;

  constructor(reason: WebhookRejection, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Headers as `Request`, Node's `IncomingMessage` or a plain object carries them.
 *
 * @example
 * ```ts
 * const headers: WebhookHeaders = request.headers; // Node IncomingMessage headers, or a Headers object
 * ```
 */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Options of {@link verifyWebhook}.
 *
 * @example
 * ```ts
 * await verifyWebhook(request, secret, { toleranceSeconds: 60 });
 * ```
 */
export interface VerifyWebhookOptions {
  /** The receiver's current time. Default now. */
  now?: Date;
  /** How far the timestamp may be from `now`, in seconds. Default 300 (five minutes). */
  toleranceSeconds?: number;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(" ") : value;
  }
  return undefined;
}

/**
 * Verifies a Standard Webhooks request (as {@link webhookOutput} sends) and returns its parsed JSON
 * body. Rejects a missing or wrong signature and a timestamp more than five minutes from now.
 * Reading a `Request` consumes its body.
 *
 * @throws {WebhookVerificationError} with a `reason`.
 * @example
 * ```ts
 * // Next.js route handler
 * export async function POST(request: Request) {
 *   try {
 *     const body = await verifyWebhook(request, process.env.CALLBACK_SECRET!);
 *     return Response.json({ ok: true, body });
 *   } catch {
 *     return new Response("bad signature", { status: 401 });
 *   }
 * }
 * ```
 */
export async function verifyWebhook(
  request: Request | { headers: WebhookHeaders; body: string },
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<unknown> {
  const headers = request.headers;
  const body = request instanceof Request ? await request.text() : request.body;
  const id = header(headers, "webhook-id");
  const timestampHeader = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestampHeader || !signatures) {
    throw new WebhookVerificationError(
      "missing-headers",
      "The request lacks webhook-id, webhook-timestamp or webhook-signature; it was not sent by a Standard Webhooks sender.",
    );
  }
  if (!/^\d{1,12}$/.test(timestampHeader)) {
    throw new WebhookVerificationError(
      "invalid-timestamp",
      "webhook-timestamp is not a number of seconds since the epoch.",
    );
  }
  const timestamp = Number(timestampHeader);
  const now = Math.floor((options.now?.getTime() ?? Date.now()) / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (now - timestamp > tolerance) {
    throw new WebhookVerificationError(
      "timestamp-too-old",
      `webhook-timestamp is more than ${tolerance} s old: a replay, or the clocks disagree.`,
    );
  }
  if (timestamp - now > tolerance) {
    throw new WebhookVerificationError(
      "timestamp-too-new",
      `webhook-timestamp is more than ${tolerance} s in the future: the clocks disagree.`,
    );
  }

  const expected = Buffer.from(
    createWebhook(secret)
      .sign(id, new Date(timestamp * 1000), body)
      .slice("v1,".length),
  );
  const matches = signatures.split(" ").some((versioned) => {
    const [version, signature] = versioned.split(",", 2);
    if (version !== "v1" || signature === undefined) return false;
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) {
    throw new WebhookVerificationError(
      "invalid-signature",
      "No webhook-signature matches: the body was changed, or the secret differs from the sender's.",
    );
  }
  if (body === "") return undefined;
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new WebhookVerificationError(
      "invalid-body",
      `The signed body is not JSON: ${String(error)}`,
    );
  }
}
