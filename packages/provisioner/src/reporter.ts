import type { Redactor } from "@tailvm/internal";
import type { Clock } from "./clock.js";
import { describeEvent } from "./describe-event.js";
import type { Logger, LogLevel } from "./logger.js";
import type { ProvisionEvent } from "./types.js";

/** An event without its time; the reporter stamps it. */
export type UnstampedEvent = ProvisionEvent extends infer E
  ? E extends ProvisionEvent
    ? Omit<E, "time">
    : never
  : never;

/** Sends redacted events and log lines to every logger and the `onEvent` callback. */
export interface Reporter {
  readonly redactor: Redactor;
  emit(event: UnstampedEvent): void;
  log(level: LogLevel, message: string, data?: object): void;
}

/** Creates the one path every event and log line of a run takes: redact, then fan out. */
export function createReporter(options: {
  redactor: Redactor;
  clock: Clock;
  loggers: Logger[];
  onEvent?: ((event: ProvisionEvent) => void) | undefined;
}): Reporter {
  const { redactor, clock, loggers, onEvent } = options;

  // A broken logger must not break the run it is watching.
  const safely = (call: () => void) => {
    try {
      call();
    } catch {}
  };

  return {
    redactor,
    emit(event) {
      const stamped = redactor.redactValue({ ...event, time: clock.now() } as ProvisionEvent);
      if (onEvent) safely(() => onEvent(stamped));
      for (const logger of loggers) {
        if (logger.event) {
          safely(() => logger.event?.(stamped));
          continue;
        }
        const { level, message } = describeEvent(stamped);
        safely(() => logger[level]?.(message, stamped));
      }
    },
    log(level, message, data) {
      const safeMessage = redactor.redact(message);
      const safeData = data === undefined ? undefined : redactor.redactValue(data);
      for (const logger of loggers) {
        safely(() => {
          if (safeData === undefined) logger[level]?.(safeMessage);
          else logger[level]?.(safeMessage, safeData);
        });
      }
    },
  };
}
