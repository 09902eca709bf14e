import type { ProvisionEvent } from "./types.js";

/**
 * Log levels, quietest last.
 *
 * @example
 * ```ts
 * const level: LogLevel = process.env.DEBUG ? "debug" : "info";
 * ```
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * A logger is any object with some of `debug`, `info`, `warn`, `error` and `event`. When it has
 * `event`, it receives every event of the typed stream; otherwise each event reaches the level method
 * that fits it as one readable line. Everything it receives is already redacted.
 *
 * @example
 * ```ts
 * const logger: Logger = {
 *   warn: (message) => myLog.warn(message),
 *   error: (message) => myLog.error(message),
 * };
 * await provisionVM(options, { ...context, logger });
 * ```
 */
export interface Logger {
  debug?(message: string, data?: object): void;
  info?(message: string, data?: object): void;
  warn?(message: string, data?: object): void;
  error?(message: string, data?: object): void;
  event?(event: ProvisionEvent): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Whether a line at `level` passes a logger set to `threshold`. */
export function isLevelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LEVEL_ORDER[level] >= LEVEL_ORDER[threshold];
}

/**
 * A logger that drops everything.
 *
 * @example
 * ```ts
 * await provisionVM(options, { ...context, logger: silentLogger });
 * ```
 */
export const silentLogger: Logger = Object.freeze({
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  event: () => {},
});
