import { formatDuration } from "@tailvm/internal";
import { describeEvent } from "./describe-event.js";
import { isLevelEnabled, type Logger, type LogLevel } from "./logger.js";

/**
 * Options of {@link consoleLogger}.
 *
 * @example
 * ```ts
 * const options: ConsoleLoggerOptions = { level: "debug", write: (line) => process.stderr.write(`${line}\n`) };
 * ```
 */
export interface ConsoleLoggerOptions {
  /** Receives each line, without a trailing newline. Default: stdout for debug/info, stderr for warn/error. */
  write?: (line: string) => void;
  /** The quietest level printed. Default `"info"`: phase timings, resources and the result. */
  level?: LogLevel;
  /** Prefix of every line. Default `"tailvm"`. */
  prefix?: string;
}

function defaultWrite(level: LogLevel): (line: string) => void {
  return (line) => {
    const stream = level === "warn" || level === "error" ? process.stderr : process.stdout;
    stream.write(`${line}\n`);
  };
}

/**
 * A logger that prints readable lines: each phase with its duration, retries, created and deleted
 * resources, and the result with its phase timings. Lines look like
 * `[tailvm +4.2 s] server-running done in 3.9 s`.
 *
 * @example
 * ```ts
 * await provisionVM(options, { ...context, logger: consoleLogger({ level: "debug" }) });
 * // capture instead of printing:
 * const lines: string[] = [];
 * const logger = consoleLogger({ write: (line) => lines.push(line) });
 * ```
 */
export function consoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = options.level ?? "info";
  const prefix = options.prefix ?? "tailvm";
  let firstEventTime: number | undefined;

  const print = (level: LogLevel, message: string, elapsed?: number) => {
    if (!isLevelEnabled(level, threshold)) return;
    const write = options.write ?? defaultWrite(level);
    const marker = level === "warn" ? " warning:" : level === "error" ? " error:" : "";
    const head = elapsed === undefined ? `[${prefix}]` : `[${prefix} +${formatDuration(elapsed)}]`;
    for (const line of message.split("\n")) write(`${head}${marker} ${line}`);
  };

  return {
    debug: (message) => print("debug", message),
    info: (message) => print("info", message),
    warn: (message) => print("warn", message),
    error: (message) => print("error", message),
    event: (event) => {
      firstEventTime ??= event.time;
      const { level, message } = describeEvent(event);
      print(level, message, event.time - firstEventTime);
    },
  };
}
