import {
  type Clock,
  createRetryingClient,
  isAbortError,
  networkErrorReason,
  parseRateLimit,
  type RateLimitState,
  type Redactor,
  type RetryEvent,
} from "@tailvm/internal";
import createClient, { type Client } from "openapi-fetch";
import { classifyAnswer } from "./classify-answer";
import { HetznerError, HetznerNetworkError } from "./errors";
import type { paths } from "./generated/hetzner";
import type { HetznerRetryPolicy } from "./retry-options";

const LIBRARY_USER_AGENT = "tailvm-hetzner-client";

/** What the typed API needs: where and how to send, the retry policy, and who to tell. */
export interface ApiOptions {
  baseUrl: string;
  token: string;
  userAgent: string | undefined;
  fetch: typeof fetch | undefined;
  clock: Clock;
  policy: HetznerRetryPolicy;
  redactor: Redactor;
  onRetry: ((event: RetryEvent) => void) | undefined;
  onRateLimit(state: RateLimitState): void;
}

/**
 * The client's `api`: openapi-fetch with the token and User-Agent, wrapped so that every call is
 * retried by Hetzner's rules, each attempt running the user's middleware again, and the last
 * `RateLimit-*` headers of every answer are recorded.
 */
export function createApi(options: ApiOptions): Client<paths> {
  const { clock, policy, redactor } = options;
  const inner = createClient<paths>({
    baseUrl: options.baseUrl,
    // Looked up on every request, so that a fetch patched after creation (MSW) is used.
    fetch: (request) => (options.fetch ?? globalThis.fetch)(request),
    headers: {
      Authorization: `Bearer ${options.token}`,
      "User-Agent": options.userAgent
        ? `${options.userAgent} ${LIBRARY_USER_AGENT}`
        : LIBRARY_USER_AGENT,
    },
  });
  return createRetryingClient(inner, {
    clock,
    policy,
    attempt: async (send, init) => {
      const answer = await send(init);
      const rateLimit = parseRateLimit(answer.response.headers);
      if (rateLimit) options.onRateLimit(rateLimit);
      return answer;
    },
    classify: (outcome, attempt, request) =>
      classifyAnswer(outcome, attempt, { method: request.method, policy, now: clock.now() }),
    onRetry: options.onRetry,
    failure: (error, timedOut, { method, path }) => {
      if (error instanceof HetznerError || (!timedOut && isAbortError(error))) return error;
      return new HetznerNetworkError({
        method,
        path,
        reason: timedOut
          ? `no response within ${policy.attemptTimeoutMs} ms`
          : redactor.redact(networkErrorReason(error)),
        cause: timedOut ? undefined : redactor.redactCause(error),
        isRetryable: method !== "POST",
      });
    },
  });
}
