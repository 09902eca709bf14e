/** The signal that aborts when any of `signals` does (undefined ones are skipped). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal): signal is AbortSignal => signal !== undefined));
}

/**
 * Settles like `promise`, unless `signal` aborts first: then rejects with `signal.reason` at once.
 * `promise` itself goes on; whoever holds it can still await what it settles with.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Whether `error` is the reason `signal` aborted with (so the raced work may still be pending). */
export function isAbortOf(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && error === signal.reason;
}

/** Whether `error` is an abort or a timeout raised by an `AbortSignal` (`AbortError`, `TimeoutError`). */
export function isAbortError(error: unknown): boolean {
  return (
    (error instanceof Error || error instanceof DOMException) &&
    (error.name === "AbortError" || error.name === "TimeoutError")
  );
}
