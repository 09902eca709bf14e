export {
  type AttemptRetryOptions,
  type AttemptSubject,
  type ConnectedClient,
  describeAttemptRules,
} from "./attempt-contract.js";
export { type ClockSubject, describeClockRules } from "./clock-contract.js";
export { expectRefusedConnectionCause } from "./refused-connection-cause.js";
export { describeWaitRules, type WaitSubject } from "./wait-contract.js";
