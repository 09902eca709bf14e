import { type Clock, createRetryingClient, type Redactor, type RetryEvent } from "@tailvm/internal";
import createClient, { type Client } from "openapi-fetch";
import type { Authorization } from "./authorization.js";
import { classifyAnswer, isIdempotent } from "./classify-answer.js";
import type { paths } from "./generated/tailscale.js";
import { toNetworkError } from "./network-error.js";
import type { TailscaleRetryPolicy } from "./retry-options.js";

/** What the typed API needs: where and how to send, credentials, the retry policy, who to tell. */
export interface ApiOptions {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  userAgent: string;
  authorization: Authorization;
  clock: Clock;
  policy: TailscaleRetryPolicy;
  redactor: Redactor;
  onRetry: ((event: RetryEvent) => void) | undefined;
}

/**
 * The client's `api`: openapi-fetch wrapped so that every call is retried by Tailscale's rules.
 * Each attempt is a full call of the inner client (so the user's middleware runs every time)
 * carrying the current `Authorization` header; with OAuth, a 401 fetches a new token once and
 * sends the attempt again.
 */
export function createApi(options: ApiOptions): Client<paths> {
  const { authorization, clock, policy, redactor } = options;
  const inner = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    headers: { Accept: "application/json", "User-Agent": options.userAgent },
  });
  const host = new URL(options.baseUrl).host;
  return createRetryingClient(inner, {
    clock,
    policy,
    attempt: async (send, init) => {
      const signal = init.signal as AbortSignal | undefined;
      const headerValue = await authorization.headerValue(signal);
      const answer = await send({ ...init, headers: withAuthorization(init.headers, headerValue) });
      if (answer.response.status !== 401 || !authorization.rejected(headerValue)) return answer;
      const fresh = await authorization.headerValue(signal);
      return send({ ...init, headers: withAuthorization(init.headers, fresh) });
    },
    classify: (outcome, attempt, request) =>
      classifyAnswer(outcome, attempt, { method: request.method, policy, now: clock.now() }),
    onRetry: options.onRetry,
    failure: (error, timedOut, request) =>
      toNetworkError(error, timedOut, {
        method: request.method,
        path: request.path,
        host,
        idempotent: isIdempotent(request),
        attemptTimeoutMs: policy.attemptTimeoutMs,
        redactor,
      }),
  });
}

/** The caller's headers with `Authorization` set, keeping their form (record, list or Headers). */
function withAuthorization(headers: unknown, value: string): unknown {
  if (headers === undefined || headers === null) return { Authorization: value };
  if (headers instanceof Headers || Array.isArray(headers)) {
    const merged = new Headers(headers as ConstructorParameters<typeof Headers>[0]);
    merged.set("Authorization", value);
    return merged;
  }
  return { ...(headers as Record<string, unknown>), Authorization: value };
}
