export {
  type ApiResult,
  type CreateServerResult,
  createHetznerClient,
  DEFAULT_BASE_URL,
  type HetznerClient,
  type HetznerClientOptions,
  type RequestOptions,
} from "./client";
export { type Clock, systemClock } from "./clock";
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
export { type PageItem, type PaginatedPath, type PaginateInit, PER_PAGE } from "./paginate";
export {
  backoffDelay,
  parseRateLimit,
  type RateLimitState,
  RETRYABLE_CODES,
  RETRYABLE_STATUSES,
  type RetryEvent,
  type RetryOptions,
} from "./retry";
export type {
  Action,
  CreateServerBody,
  HetznerErrorBody,
  Location,
  Server,
  ServerType,
} from "./types";
export type { WaitForActionOptions } from "./wait-for-action";
