export { type ClockSubject, describeClockRules } from "./clock-contract.js";
export { expectRefusedConnectionCause } from "./refused-connection-cause.js";
export { describeRequestRules, type RequestSubject } from "./request-contracts.js";
export { describeWaitRules, type WaitSubject } from "./wait-contract.js";
