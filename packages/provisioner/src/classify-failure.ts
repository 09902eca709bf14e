import {
  HetznerActionError,
  HetznerApiError,
  HetznerNetworkError,
  HetznerTimeoutError,
} from "@tailvm/hetzner-client";
import { causeOptions, errorMessage } from "@tailvm/internal";
import { TailscaleApiError, TailscaleTimeoutError } from "@tailvm/tailscale-client";
import { DeadlineExceededError } from "./deadline-exceeded-error.js";
import { ProvisionInputError } from "./errors.js";
import type { Phase } from "./types.js";

/** A failure the provisioner itself detects, with its code. */
export class StepFailure extends Error {
  override name = "StepFailure";
  readonly code: string;
  readonly isRetryable: boolean;

  constructor(
    code: string,
    message: string,
    options: { isRetryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, causeOptions(options.cause));
    this.code = code;
    this.isRetryable = options.isRetryable ?? false;
  }
}

const PHASE_TEXT: Record<Phase, string> = {
  validate: "Checking the options",
  placement: "Choosing where to place the server",
  firewall: "Finding the firewall",
  "auth-key": "Minting the Tailscale auth key",
  "stale-devices": "Removing stale tailnet devices",
  "cloud-init": "Building the cloud-config",
  "create-server": "Creating the server",
  "server-running": "Waiting for the server to run",
  "device-join": "Waiting for the device to join the tailnet",
  "revoke-key": "Revoking the auth key",
  rollback: "Rolling back",
};

const PHASE_HINT: Partial<Record<Phase, string>> = {
  placement: "Check the Hetzner token, or try again: the catalog could not be read.",
  firewall:
    "Check the Hetzner token (Read & Write) and the firewall ids; tailvm's firewalls are named tailvm-tailnet-only and tailvm-public-ssh.",
  "auth-key":
    "Check the Tailscale credentials: an OAuth client needs the auth_keys scope and must own the tags in the tailnet policy (tagOwners).",
  "stale-devices":
    "Check that the Tailscale credentials may list and delete devices (devices:core).",
  "create-server":
    "Check the Hetzner token (Read & Write), the image and SSH key names, and the project's limits.",
  "server-running":
    "Hetzner did not finish starting the server in time; try again, or another location.",
  "device-join":
    "The server runs but never joined the tailnet: check that the image reaches pkgs.tailscale.com, that the tags are allowed for the key, and the server's console log (/var/log/cloud-init-output.log).",
};

/**
 * The hint for a failure, chosen by its code before its phase: a refused credential says which
 * one and where it came from (the client's message already says what to check), instead of a
 * hint about the phase that was running.
 */
function hintFor(error: unknown, phase: Phase): string {
  const status =
    error instanceof HetznerApiError || error instanceof TailscaleApiError
      ? error.status
      : undefined;
  const code = error instanceof HetznerApiError ? error.code : undefined;
  if (status === 401 || status === 403 || code === "unauthorized" || code === "forbidden") {
    const refused = status === 401 || code === "unauthorized" ? "refused" : "not permitted";
    return error instanceof TailscaleApiError
      ? ` The ${refused} credentials are the Tailscale ones of the provisioner's context (context.tailscale: the OAuth client or API key).`
      : ` The ${refused} token is the Hetzner API token of the provisioner's context (context.hetzner.token).`;
  }
  if (status === 429 || code === "rate_limit_exceeded") return "";
  return PHASE_HINT[phase] ? ` ${PHASE_HINT[phase]}` : "";
}

/** The code, message and retryability of a failure in `phase`. */
export function classifyFailure(
  error: unknown,
  phase: Phase,
  signals: { caller?: AbortSignal | undefined; total: AbortSignal },
): { code: string; message: string; isRetryable: boolean } {
  const what = PHASE_TEXT[phase];
  const hint = hintFor(error, phase);
  if (signals.caller?.aborted) {
    return {
      code: "aborted",
      message: `${what} was cancelled by the caller's signal; everything created so far was rolled back.`,
      isRetryable: true,
    };
  }
  const deadline =
    error instanceof DeadlineExceededError
      ? error
      : signals.total.aborted && signals.total.reason instanceof DeadlineExceededError
        ? signals.total.reason
        : undefined;
  if (deadline) {
    const option = `timeouts.${deadline.deadline}`;
    return {
      code: "timeout",
      message: `${what} did not finish within ${option} (${deadline.timeoutMs} ms).${hint} Or raise ${option}.`,
      isRetryable: true,
    };
  }
  if (error instanceof HetznerTimeoutError || error instanceof TailscaleTimeoutError) {
    return {
      code: "timeout",
      message: `${what} timed out: ${error.message}${hint}`,
      isRetryable: true,
    };
  }
  if (error instanceof ProvisionInputError) {
    return { code: error.code, message: error.message, isRetryable: false };
  }
  if (error instanceof StepFailure) {
    return {
      code: error.code,
      message: `${what} failed: ${error.message}`,
      isRetryable: error.isRetryable,
    };
  }
  if (error instanceof HetznerActionError || error instanceof HetznerApiError) {
    return {
      code: error.code,
      message: `${what} failed: ${error.message}${hint}`,
      isRetryable: error.isRetryable || isServerError(error),
    };
  }
  if (error instanceof TailscaleApiError) {
    return {
      code: error.code ?? `http_${error.status}`,
      message: `${what} failed: ${error.message}${hint}`,
      isRetryable: error.isRetryable || isServerError(error),
    };
  }
  if (error instanceof HetznerNetworkError) {
    return {
      code: "network_error",
      message: `${what} failed: ${error.message}`,
      isRetryable: true,
    };
  }
  const text = errorMessage(error);
  return {
    code: (error as { code?: unknown } | null)?.code?.toString() ?? "unknown_error",
    message: `${what} failed: ${text}${hint}`,
    isRetryable: (error as { isRetryable?: unknown } | null)?.isRetryable === true,
  };
}

/**
 * A 5xx answer. A client marks one to a POST as not retryable, since the POST may have been applied;
 * for a whole run it is retryable all the same, because rollback has already looked for (and
 * deleted) whatever that POST may have created.
 */
function isServerError(error: HetznerActionError | HetznerApiError | TailscaleApiError): boolean {
  return "status" in error && typeof error.status === "number" && error.status >= 500;
}
