import { CloudConfigValidationError } from "../errors.js";
import { isSecret, type Secret } from "../secret.js";
import type { CloudConfig, PhoneHomeField } from "../types.js";

/**
 * Options for {@link readySignal}.
 *
 * @example
 * ```ts
 * readySignal(url, { post: ["instance_id"], tries: 3 });
 * ```
 */
export interface ReadySignalOptions {
  /** What to post; default instance id, hostname and fqdn (no host keys). */
  post?: "all" | PhoneHomeField[];
  /** How many times cloud-init tries; default 10. */
  tries?: number;
}

/**
 * A fragment that makes cloud-init POST to `url` when it has finished (`phone_home`, final
 * stage), so a caller knows the machine booted.
 *
 * A token in the URL is visible on the machine: cloud-init writes the full URL to
 * `/var/log/cloud-init.log`, and user data stays readable there (metadata service and
 * `/var/lib/cloud/instance/user-data.txt`). `secret(url)` keeps it out of tailvm's previews, errors
 * and logs, not off the VM. So use a one-time token that is valid for this instance only, and
 * refuse it once it has been used.
 *
 * @example
 * ```ts
 * import { readySignal, secret } from "@tailvm/cloud-init";
 * readySignal("https://example.com/ready/job-42");
 * readySignal(secret(`https://example.com/ready?token=${oneTimeToken}`), { tries: 3 });
 * ```
 */
export function readySignal(url: string | Secret, options: ReadySignalOptions = {}): CloudConfig {
  const text = isSecret(url) ? url.reveal() : url;
  const valid =
    typeof text === "string" &&
    URL.canParse(text) &&
    ["http:", "https:"].includes(new URL(text).protocol);
  const tries = options.tries ?? 10;
  const issues = [];
  // The URL may carry a token, so it is never echoed.
  if (!valid) issues.push({ path: "url", message: "must be an absolute http:// or https:// URL" });
  if (!Number.isInteger(tries) || tries < 1)
    issues.push({ path: "tries", message: "must be a whole number >= 1" });
  if (issues.length > 0)
    throw new CloudConfigValidationError(issues, { subject: "readySignal() options" });
  return { phone_home: { url, post: options.post ?? ["instance_id", "hostname", "fqdn"], tries } };
}
