export { type Clock, type RateLimitState, systemClock } from "@tailvm/internal";
export { createHetznerClient, DEFAULT_BASE_URL } from "./client";
export type {
  CreateFirewallResult,
  CreateServerResult,
  DeleteResult,
  DeleteServerResult,
  HetznerClient,
  HetznerClientOptions,
  ImageType,
  ListFirewallsOptions,
  ListImagesOptions,
  ListServersOptions,
  RequestOptions,
} from "./client-types";
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
export type {
  Action,
  CreateFirewallBody,
  CreateServerBody,
  Firewall,
  HetznerErrorBody,
  Image,
  Location,
  Network,
  Server,
  ServerType,
} from "./types";
export type { ApiResult } from "./unwrap";
export type { WaitForActionOptions } from "./wait-for-action";
