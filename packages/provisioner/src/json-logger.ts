import { describeEvent } from "./describe-event.js";
import { isLevelEnabled, type Logger, type LogLevel } from "./logger.js";

/**
 * Options of {@link jsonLogger}.
 *
 * @example
 * ```ts
 * const options: JsonLoggerOptions = { level: "debug", write: (line) => logFile.write(`${line}\n`) };
 * ```
 */
export interface JsonLoggerOptions {
  /** Receives each JSON line, without a trailing newline. Default: stdout. */
  write?: (line: string) => void;
  /** The quietest level written. Default `"info"`. */
  level?: LogLevel;
  /** Timestamps for plain log lines (events carry their own). Default `Date.now`. */
  now?: () => number;
}

/**
 * A logger that writes one JSON object per line: every event as `{ level, ...event }` and every
 * plain log line as `{ level, time, message, data }`. Feed it to a log shipper.
 *
 * @example
 * ```ts
 * await provisionVM(options, { ...context, logger: jsonLogger() });
 * // {"level":"info","type":"phase-end","phase":"placement","time":1764400000000,"durationMs":84,"ok":true}
 * ```
 */
export function jsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = options.level ?? "info";
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;

  const line = (level: LogLevel, message: string, data?: object) => {
    if (!isLevelEnabled(level, threshold)) return;
    write(JSON.stringify({ level, time: now(), message, ...(data ? { data } : {}) }));
  };

  return {
    debug: (message, data) => line("debug", message, data),
    info: (message, data) => line("info", message, data),
    warn: (message, data) => line("warn", message, data),
    error: (message, data) => line("error", message, data),
    event: (event) => {
      const { level } = describeEvent(event);
      if (!isLevelEnabled(level, threshold)) return;
      write(JSON.stringify({ level, ...event }));
    },
  };
}
