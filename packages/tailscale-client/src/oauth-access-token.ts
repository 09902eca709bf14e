import { type Clock, type Redactor, raceSignal, sendWithRetries } from "@tailvm/internal";
import { classifyAnswer } from "./classify-answer.js";
import { tokenHintFor } from "./error-hints.js";
import { TailscaleApiError, TailscaleError } from "./errors.js";
import { toNetworkError } from "./network-error.js";
import type { RetryEvent, TailscaleRetryPolicy } from "./retry-options.js";

/** Hands out OAuth access tokens, fetching a new one only when needed. */
export interface AccessTokenSource {
  /** The cached token, or a fresh one when none is cached or it is about to expire. */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets `token` if it is still the cached one, so that the next `get` fetches a new token. */
  invalidate(token: string): void;
}

export interface OAuthAccessTokenOptions {
  clientId: string;
  clientSecret: string;
  scopes?: readonly string[] | undefined;
  /** `{baseUrl}/oauth/token`. */
  tokenUrl: string;
  fetch: (request: Request) => Promise<Response>;
  userAgent: string;
  clock: Clock;
  policy: TailscaleRetryPolicy;
  redactor: Redactor;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

const TOKEN_PATH = "/oauth/token";
/** Refresh this long before the token expires, so that a request never carries an expired token. */
const REFRESH_MARGIN_MS = 60_000;

interface CachedToken {
  token: string;
  refreshAt: number;
}

/**
 * OAuth client-credentials grant against Tailscale's token endpoint. Concurrent callers share one
 * in-flight token request; the token is reused until shortly before `expires_in`. The request is
 * retried like an idempotent one: asking for another access token changes nothing.
 */
export function createOAuthAccessTokenSource(options: OAuthAccessTokenOptions): AccessTokenSource {
  const { clock, redactor, policy } = options;
  let cached: CachedToken | undefined;
  let pending: Promise<string> | undefined;
  const request = { method: "POST", path: TOKEN_PATH, idempotent: true };

  const fetchToken = async (): Promise<CachedToken> => {
    const form = new URLSearchParams({
      client_id: options.clientId,
      client_secret: options.clientSecret,
      grant_type: "client_credentials",
    });
    if (options.scopes && options.scopes.length > 0) form.set("scope", options.scopes.join(" "));
    const outcome = await sendWithRetries(
      async (signal) => ({
        response: await options.fetch(
          new Request(options.tokenUrl, {
            method: "POST",
            headers: {
              "Content-Type": "application/x-www-form-urlencoded",
              Accept: "application/json",
              "User-Agent": options.userAgent,
            },
            body: form.toString(),
            ...(signal === undefined ? {} : { signal }),
          }),
        ),
      }),
      {
        clock,
        maxRetries: policy.maxRetries,
        attemptTimeoutMs: policy.attemptTimeoutMs,
        classify: (attempt, number) =>
          classifyAnswer(attempt, number, { ...request, policy, now: clock.now() }),
        onRetry: (notice) => options.onRetry?.({ ...notice, method: "POST", path: TOKEN_PATH }),
        discard: ({ response }) => response.body?.cancel().catch(() => undefined),
      },
    );
    if (outcome.kind === "error") {
      throw toNetworkError(outcome.error, outcome.timedOut, {
        ...request,
        host: new URL(options.tokenUrl).host,
        attemptTimeoutMs: policy.attemptTimeoutMs,
        redactor,
      });
    }
    const { response } = outcome.answer;
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok) throw tokenError(response.status, body, text, options);

    const token = body?.access_token;
    const expiresIn = body?.expires_in;
    if (typeof token !== "string" || token === "") {
      throw new TailscaleError(
        `Tailscale's OAuth token endpoint answered HTTP ${response.status} without an access_token; ` +
          "check that the client's baseUrl points at the Tailscale API (…/api/v2).",
      );
    }
    redactor.add(token);
    const lifetimeMs =
      typeof expiresIn === "number" && expiresIn > 0 ? expiresIn * 1000 : 3_600_000;
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
    return { token, refreshAt: clock.now() + lifetimeMs - margin };
  };

  return {
    get(signal) {
      signal?.throwIfAborted();
      if (cached && clock.now() < cached.refreshAt) return Promise.resolve(cached.token);
      pending ??= fetchToken()
        .then((fresh) => {
          cached = fresh;
          return fresh.token;
        })
        .finally(() => {
          pending = undefined;
        });
      // One caller's abort must not cancel the token request the others share.
      return signal ? raceSignal(pending, signal) : pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

type TokenResponseBody = Record<string, unknown> | undefined;

function parseJson(text: string): TokenResponseBody {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function tokenError(
  status: number,
  body: TokenResponseBody,
  text: string,
  options: OAuthAccessTokenOptions,
): TailscaleApiError {
  const code = typeof body?.error === "string" ? body.error : undefined;
  const described =
    (typeof body?.error_description === "string" && body.error_description) ||
    (typeof body?.message === "string" && body.message) ||
    code ||
    text.slice(0, 200);
  const apiMessage = described ? options.redactor.redact(described) : undefined;
  const detail = `HTTP ${status}${apiMessage ? `: ${apiMessage}` : ""}`;
  const message =
    status === 429 || status >= 500
      ? `Tailscale's OAuth token endpoint failed (${detail}); try again later.`
      : `Tailscale refused to issue an OAuth access token (${detail}). ${tokenHintFor(code, options)}`;
  return new TailscaleApiError(options.redactor.redact(message), {
    status,
    method: "POST",
    path: TOKEN_PATH,
    code,
    apiMessage,
    // Asking for a token changes nothing at Tailscale, so it is safe to ask again after a 5xx.
    isRetryable: status === 429 || status >= 500,
  });
}
