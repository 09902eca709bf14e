import { verifyWebhook, type WebhookPayload, WebhookVerificationError } from "@tailvm/provisioner";
import { appDatabase } from "../../../../lib/app-database.ts";
import { webhookSecret } from "../../../../lib/environment.ts";
import { configurationProblem, invalidRequest } from "../../../../lib/http-responses.ts";
import { applyCallback } from "../../../../lib/jobs/apply-callback.ts";
import { readCallback } from "../../../../lib/jobs/callback-report.ts";

// verifyWebhook uses node:crypto: this route needs the Node.js runtime.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Receives a provisioning result signed per Standard Webhooks (the {@link WebhookPayload} the
 * tailvm GitHub Action's `callback_url` and `webhookOutput` send) and completes the dispatched job
 * its `data.jobId` names. It takes no API token: the signature is its authentication. A bad or
 * missing signature, or a stale timestamp, answers 401 and changes nothing; a body that is not a
 * version-1 payload answers 400; a `webhook-id` applied before answers 200 with `duplicate: true`
 * and changes nothing; `vm.deprovisioned` answers 200 with `applied: false` and a reason.
 */
export async function POST(request: Request): Promise<Response> {
  let secret: string;
  try {
    secret = webhookSecret();
  } catch (error) {
    return configurationProblem(error);
  }

  let payload: WebhookPayload;
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
  const meaning = readCallback(payload);
  if (meaning.kind === "invalid") return invalidRequest(meaning.issues);
  if (meaning.kind === "ignored") {
    return Response.json({
      received: true,
      duplicate: false,
      applied: false,
      reason: meaning.reason,
      webhookId,
    });
  }
  const { jobId } = meaning.report;
  const result = await applyCallback(await appDatabase(), webhookId, meaning.report);
  if (result.state === "unknown-job") {
    return Response.json({ error: `No job ${JSON.stringify(jobId)}.`, webhookId }, { status: 404 });
  }
  return Response.json({
    received: true,
    duplicate: result.state === "duplicate",
    applied: result.state === "applied",
    ...(result.state === "ignored" ? { reason: result.reason } : {}),
    webhookId,
    jobId,
  });
}
