export {
  type AttemptRetryOptions,
  type AttemptSubject,
  type ClientMiddleware,
  type ConnectedClient,
  describeAttemptRules,
} from "./attempt-contract.js";
export { type ClockSubject, describeClockRules } from "./clock-contract.js";
export { describeMiddlewareRules, type MiddlewareSubject } from "./middleware-contract.js";
export { describeRateLimitRules, type RateLimitSubject } from "./rate-limit-contract.js";
export { expectRefusedConnectionCause } from "./refused-connection-cause.js";
export { describeWaitRules, type WaitSubject } from "./wait-contract.js";
