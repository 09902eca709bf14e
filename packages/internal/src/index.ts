export type { ApiClientOptions } from "./api-client-options.js";
export { type BackoffPolicy, backoffDelay } from "./backoff.js";
export { type Clock, systemClock } from "./clock.js";
export {
  type CommandLineIo,
  type CommandLineSpec,
  readCommandLine,
} from "./command-line.js";
export { type Deadline, startDeadline } from "./deadline.js";
export { describeCause, errorToJSON } from "./error-json.js";
export { errorMessage } from "./error-message.js";
export { causeOptions } from "./error-options.js";
export { type FindExecutableOptions, findExecutable } from "./find-executable.js";
export { formatDuration } from "./format-duration.js";
export type { JsonBody } from "./json-body.js";
export { networkErrorReason } from "./network-error-reason.js";
export { type PollOptions, type PollProgress, poll } from "./poll.js";
export {
  parseRateLimit,
  parseRetryAfter,
  type RateLimitState,
  requestedWaitMs,
} from "./rate-limit-headers.js";
export {
  createRedactor,
  MIN_SECRET_LENGTH,
  REDACTED,
  type Redactor,
  redactCredentialShapes,
} from "./redactor.js";
export {
  findInvalidNumber,
  isOptionProblem,
  type OptionProblem,
  type RetryPolicy,
  type RetryPolicyOptions,
  resolveRetryPolicy,
  retryLostAnswer,
} from "./retry-policy.js";
export {
  type ApiAnswer,
  type ApiRequest,
  createRetryingClient,
  fillPath,
  type OpenApiClientLike,
  type RetryEvent,
  type RetryingClientOptions,
  requestOf,
} from "./retrying-client.js";
export {
  type AttemptOutcome,
  type RetryDecision,
  type RetryNotice,
  type SendWithRetriesOptions,
  sendWithRetries,
} from "./send-with-retries.js";
export { anySignal, isAbortError, isAbortOf, raceSignal } from "./signals.js";
