import { verifyWebhook, WebhookVerificationError } from "@tailvm/provisioner";
import { ConfigurationError, webhookSecret } from "../../../../lib/environment";
import { jobStore } from "../../../../lib/jobs";

// verifyWebhook uses node:crypto: this route needs the Node.js runtime.
export const runtime = "nodejs";

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The job a callback is about: gh-runner sends `job_id`; webhookOutput's envelope has `data.jobId`. */
function jobIdOf(payload: unknown): string | undefined {
  if (!isRecord(payload)) return undefined;
  if (typeof payload.job_id === "string") return payload.job_id;
  const data = payload.data;
  return isRecord(data) && typeof data.jobId === "string" ? data.jobId : undefined;
}

/**
 * Receives a provisioning result signed per Standard Webhooks (from the tailvm GitHub Action's
 * `callback_url`, or from `webhookOutput`). A bad or missing signature, or a stale timestamp,
 * answers 401 and changes nothing.
 */
export async function POST(request: Request): Promise<Response> {
  let secret: string;
  try {
    secret = webhookSecret();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      return Response.json({ error: error.message }, { status: 500 });
    }
    throw error;
  }

  let payload: unknown;
  try {
    payload = await verifyWebhook(request, secret);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      const status = error.reason === "invalid-body" ? 400 : 401;
      return Response.json({ error: error.message, reason: error.reason }, { status });
    }
    throw error;
  }

  const webhookId = request.headers.get("webhook-id") ?? "";
  const store = jobStore();
  const duplicate = store.webhookIds.has(webhookId);
  store.webhookIds.add(webhookId);
  return Response.json({ received: true, duplicate, webhookId, jobId: jobIdOf(payload) ?? null });
}
