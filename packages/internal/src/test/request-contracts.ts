import { type AttemptSubject, describeAttemptRules } from "./attempt-contract.js";
import { describeMiddlewareRules, type MiddlewareSubject } from "./middleware-contract.js";
import { describeRateLimitRules, type RateLimitSubject } from "./rate-limit-contract.js";

/** A client under test as every request rule sees it. */
export type RequestSubject = AttemptSubject & MiddlewareSubject & RateLimitSubject;

/**
 * Every rule a client keeps for its requests, against one subject: the attempt rules, the
 * middleware rules and the rate-limit rules.
 */
export function describeRequestRules(subject: RequestSubject): void {
  describeAttemptRules(subject);
  describeMiddlewareRules(subject);
  describeRateLimitRules(subject);
}
