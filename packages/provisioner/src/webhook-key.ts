import { Webhook } from "standardwebhooks";

/** The prefix of a base64 Standard Webhooks secret. */
export const WHSEC_PREFIX = "whsec_";

/**
 * The signer/verifier for `secret`: a `whsec_` secret is base64-decoded after the prefix (as the
 * Standard Webhooks spec does); any other secret is used as its UTF-8 bytes.
 */
export function createWebhook(secret: string): Webhook {
  if (secret.startsWith(WHSEC_PREFIX)) return new Webhook(secret);
  return new Webhook(new TextEncoder().encode(secret), { format: "raw" });
}
