import { type Redactor, requestOf } from "@tailvm/internal";
import { errorCodeOf } from "./classify-answer";
import { HetznerApiError } from "./errors";

/**
 * The shape of every openapi-fetch result, as `unwrap` accepts it.
 *
 * @example
 * ```ts
 * const result: ApiResult<unknown> = await hetzner.api.GET("/ssh_keys");
 * ```
 */
export interface ApiResult<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/** `unwrap` for a client: the data of a 2xx result, else a `HetznerApiError` with the context. */
export function createUnwrap(
  baseUrl: string,
  redactor: Redactor,
): <Data>(result: ApiResult<Data>) => Data {
  return <Data>(result: ApiResult<Data>): Data => {
    if (result.response.ok && result.error === undefined) return result.data as Data;
    throw toApiError(result, baseUrl, redactor);
  };
}

function toApiError(
  result: ApiResult<unknown>,
  baseUrl: string,
  redactor: Redactor,
): HetznerApiError {
  const { response } = result;
  const request = requestOf(result) ?? { method: "", path: pathOf(response.url, baseUrl) };
  const body = (result.error as { error?: { message?: unknown; details?: unknown } } | undefined)
    ?.error;
  const requestId = response.headers.get("x-correlation-id") ?? undefined;
  return new HetznerApiError({
    status: response.status,
    code: errorCodeOf(result.error) ?? `http_${response.status}`,
    apiMessage: typeof body?.message === "string" ? redactor.redact(body.message) : undefined,
    details: body?.details ?? undefined,
    method: request.method,
    path: request.path,
    requestId,
  });
}

function pathOf(url: string, baseUrl: string): string {
  if (!URL.canParse(url)) return "";
  const pathname = new URL(url).pathname;
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  return pathname.startsWith(basePath) ? pathname.slice(basePath.length) || "/" : pathname;
}
