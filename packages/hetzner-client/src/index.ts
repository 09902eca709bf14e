export { type Clock, type RateLimitState, systemClock } from "@tailvm/internal";
export { createHetznerClient, DEFAULT_BASE_URL } from "./client";
export type * from "./client-types";
export {
  HetznerActionError,
  HetznerApiError,
  type HetznerApiErrorInit,
  HetznerError,
  type HetznerErrorOptions,
  HetznerInputError,
  HetznerNetworkError,
  HetznerTimeoutError,
  isHetznerApiError,
} from "./errors";
export type { operations, paths } from "./generated/hetzner";
export type { PageItem, PaginatedPath, PaginateInit } from "./paginate";
export type { RetryEvent, RetryOptions } from "./retry-options";
export type * from "./types";
export type { ApiResult } from "./unwrap";
export type { WaitForActionOptions } from "./wait-for-action";
