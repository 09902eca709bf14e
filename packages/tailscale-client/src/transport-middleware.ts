import type { Middleware } from "openapi-fetch";
import type { Clock } from "./clock.js";
import type { SecretRedactor } from "./redact-secrets.js";
import { type RetryEvent, type RetryPolicy, sendWithRetries } from "./retry.js";

/** Supplies the `Authorization` header and says whether a 401 is worth one more try. */
export interface Authorization {
  headerValue(signal?: AbortSignal): Promise<string>;
  /** Called after a 401 with the header that was rejected; true when a fresh credential may help. */
  rejected(headerValue: string): boolean;
}

export interface TransportOptions {
  baseUrl: string;
  authorization: Authorization;
  clock: Clock;
  policy: RetryPolicy | false;
  redactor: SecretRedactor;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/**
 * The one middleware that sends every API request: it adds credentials, refreshes an OAuth token
 * once after a 401, and retries per the retry policy. It answers `onRequest` with the final
 * response, so the request is sent here rather than by openapi-fetch.
 */
export function createTransportMiddleware(options: TransportOptions): Middleware {
  const { authorization } = options;
  const basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, "");

  return {
    async onRequest({ request, options: clientOptions }) {
      const url = new URL(request.url);
      const signal = request.signal;
      const sendOnce = (headerValue: string) => {
        // The original request stays unread so that every attempt can clone its body.
        const attempt = request.clone();
        attempt.headers.set("Authorization", headerValue);
        return clientOptions.fetch(attempt);
      };
      const send = async () => {
        const headerValue = await authorization.headerValue(signal);
        const response = await sendOnce(headerValue);
        if (response.status !== 401 || !authorization.rejected(headerValue)) return response;
        await response.body?.cancel().catch(() => undefined);
        return sendOnce(await authorization.headerValue(signal));
      };
      return sendWithRetries(send, {
        method: request.method,
        path: relativePath(url.pathname, basePath),
        host: url.host,
        signal,
        clock: options.clock,
        policy: options.policy,
        redactor: options.redactor,
        onRetry: options.onRetry,
      });
    },
  };
}

function relativePath(pathname: string, basePath: string): string {
  return basePath && pathname.startsWith(`${basePath}/`)
    ? pathname.slice(basePath.length)
    : pathname;
}
