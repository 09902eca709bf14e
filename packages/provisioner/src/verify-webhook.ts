import { timingSafeEqual } from "node:crypto";
import { ProvisionerError } from "./errors.js";
import { createWebhook } from "./webhook-key.js";
import { WEBHOOK_PAYLOAD_VERSION, type WebhookPayload } from "./webhook-payload.js";

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
 * Verifies a Standard Webhooks request (as {@link webhookOutput} and the tailvm action send) and
 * returns its {@link WebhookPayload}, checked field by field. Rejects a missing or wrong signature,
 * a timestamp more than five minutes from now, and a signed body that is not such a payload
 * (`invalid-body`, naming the first bad field). Reading a `Request` consumes its body.
 *
 * @throws {WebhookVerificationError} with a `reason`.
 * @example
 * ```ts
 * // Next.js route handler
 * export async function POST(request: Request) {
 *   try {
 *     const payload = await verifyWebhook(request, process.env.CALLBACK_SECRET!);
 *     if (payload.type === "vm.provisioned") console.log(payload.data.tailscaleIp);
 *     return Response.json({ ok: true });
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
): Promise<WebhookPayload> {
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new WebhookVerificationError(
      "invalid-body",
      `The signed body is not JSON: ${String(error)}`,
    );
  }
  const problem = payloadProblem(parsed);
  if (problem !== undefined) {
    throw new WebhookVerificationError(
      "invalid-body",
      `The signed body is not a tailvm webhook payload (version ${WEBHOOK_PAYLOAD_VERSION}): ${problem}.`,
    );
  }
  return parsed as WebhookPayload;
}

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === "string";
const isNumber: Check = (value) => typeof value === "number" && Number.isFinite(value);
const isBoolean: Check = (value) => typeof value === "boolean";
const orNull =
  (check: Check): Check =>
  (value) =>
    value === null || check(value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const recordOf =
  (check: Check): Check =>
  (value) =>
    isRecord(value) && Object.values(value).every(check);
const RESOURCES = ["server", "auth-key", "device"];
const isRemoved: Check = (value) =>
  Array.isArray(value) &&
  value.every(
    (item) => isRecord(item) && RESOURCES.includes(item.resource as string) && isString(item.id),
  );
const isFailed: Check = (value) =>
  Array.isArray(value) &&
  value.every(
    (item) =>
      isRecord(item) &&
      RESOURCES.includes(item.resource as string) &&
      isString(item.id) &&
      isString(item.reason),
  );
const isCleanup: Check = (value) =>
  isRecord(value) && isRemoved(value.removed) && isFailed(value.failed);

const isPrice: Check = (value) =>
  isRecord(value) &&
  value.currency === "EUR" &&
  value.vat === "excluded" &&
  isNumber(value.hourly) &&
  isNumber(value.monthly);

const COMMON: Record<string, Check> = {
  version: (value) => value === WEBHOOK_PAYLOAD_VERSION,
  metadata: recordOf(isString),
};
const DATA_FIELDS: Record<WebhookPayload["type"], Record<string, Check>> = {
  "vm.provisioned": {
    ...COMMON,
    runId: isString,
    agentId: isString,
    jobId: orNull(isString),
    serverId: isNumber,
    serverName: isString,
    serverIpv4: orNull(isString),
    serverIpv6: orNull(isString),
    location: isString,
    serverType: isString,
    price: (value) => value === undefined || orNull(isPrice)(value),
    alternatives: (value) =>
      value === undefined ||
      (Array.isArray(value) &&
        value.every(
          (item) =>
            isRecord(item) &&
            isString(item.serverType) &&
            isString(item.location) &&
            orNull(isPrice)(item.price),
        )),
    tailscaleIp: isString,
    tailscaleIpv6: orNull(isString),
    tailscaleHostname: isString,
    tailscaleDeviceId: isString,
    adopted: isBoolean,
    timings: recordOf(isNumber),
    totalMs: isNumber,
  },
  "vm.provision_failed": {
    ...COMMON,
    runId: isString,
    agentId: isString,
    jobId: orNull(isString),
    phase: isString,
    message: isString,
    code: orNull(isString),
    serverId: orNull(isNumber),
    serverName: orNull(isString),
    cleanup: isCleanup,
    timings: recordOf(isNumber),
    totalMs: isNumber,
  },
  "vm.deprovisioned": {
    ...COMMON,
    jobId: orNull(isString),
    serverId: orNull(isNumber),
    serverName: orNull(isString),
    removed: isRemoved,
  },
};

/** The first way `value` is not a {@link WebhookPayload}, or undefined when it is one. */
function payloadProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return "it is not a JSON object";
  const type = value.type;
  if (typeof type !== "string" || !(type in DATA_FIELDS)) {
    return `type is ${JSON.stringify(type)}, not one of ${Object.keys(DATA_FIELDS).join(", ")}`;
  }
  if (typeof value.timestamp !== "string" || Number.isNaN(Date.parse(value.timestamp))) {
    return "timestamp is not an ISO 8601 time";
  }
  if (!isRecord(value.data)) return "data is not an object";
  const data = value.data;
  for (const [field, check] of Object.entries(DATA_FIELDS[type as WebhookPayload["type"]])) {
    if (!check(data[field])) {
      return field === "version"
        ? `data.version is ${JSON.stringify(data[field])}; this receiver reads version ${WEBHOOK_PAYLOAD_VERSION}`
        : `data.${field} is missing or has the wrong type`;
    }
  }
  return undefined;
}
