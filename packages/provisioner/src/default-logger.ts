import { consoleLogger } from "./console-logger.js";
import type { Logger } from "./logger.js";

/** Loggers of a run: the caller's, or one that prints only warnings and errors. */
export function loggersOf(logger: Logger | Logger[] | undefined): Logger[] {
  if (logger === undefined) return [consoleLogger({ level: "warn" })];
  return Array.isArray(logger) ? logger : [logger];
}
