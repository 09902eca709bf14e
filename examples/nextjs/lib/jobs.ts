import { ProvisionError, ProvisionOutputError, type ProvisionResult } from "@tailvm/provisioner";

/** One provisioning job as the API reports it. */
export type Job =
  | { jobId: string; status: "provisioning"; startedAt: string }
  | {
      jobId: string;
      status: "succeeded";
      startedAt: string;
      result: ProvisionResult;
      /** Set when the VM is up but something after it (an output such as a webhook) failed. */
      warnings?: string[];
    }
  | {
      jobId: string;
      status: "failed";
      startedAt: string;
      error: { phase?: string; code?: string; message: string };
    };

interface RunningJob {
  controller: AbortController;
  finished: Promise<void>;
}

interface JobStore {
  jobs: Map<string, Job>;
  /** Webhook ids already processed: a re-sent callback keeps its id. */
  webhookIds: Set<string>;
  /** Jobs whose `provisionVM()` is still running, each with the controller that rolls it back. */
  running: Map<string, RunningJob>;
  signalsHooked: boolean;
}

const STORE_KEY = Symbol.for("tailvm.example-nextjs.jobs");

/**
 * The jobs of this process. Next.js may load each route in its own module graph, so the store
 * hangs off `globalThis`. It lives in memory: a real deployment keeps jobs in its database, because
 * a restart (or a second instance) would not see them.
 */
export function jobStore(): JobStore {
  const holder = globalThis as typeof globalThis & { [STORE_KEY]?: JobStore };
  holder[STORE_KEY] ??= {
    jobs: new Map(),
    webhookIds: new Set(),
    running: new Map(),
    signalsHooked: false,
  };
  return holder[STORE_KEY];
}

/**
 * Registers a job whose `provisionVM()` is about to run: pass `signal` to it and call `finish()`
 * when it has settled. On SIGTERM or SIGINT every running job is aborted, so each rolls back what it
 * created. `next start` then waits for the `after()` callbacks, rollbacks included, before it
 * exits. With `NEXT_MANUAL_SIG_HANDLE` set, Next.js leaves signals to you: call
 * {@link shutdownJobs} from your handler and await it before exiting.
 */
export function startRunningJob(jobId: string): { signal: AbortSignal; finish(): void } {
  const store = jobStore();
  hookSignals(store);
  const controller = new AbortController();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const entry = { controller, finished };
  store.running.set(jobId, entry);
  return {
    signal: controller.signal,
    finish: () => {
      if (store.running.get(jobId) === entry) store.running.delete(jobId);
      finish();
    },
  };
}

/**
 * Aborts every running job (each rolls back what it created) and resolves once all have settled.
 *
 * @example
 * ```ts
 * process.on("SIGTERM", async () => {
 *   await shutdownJobs("SIGTERM");
 *   process.exit(143);
 * });
 * ```
 */
export function shutdownJobs(reason: string): Promise<void> {
  const running = [...jobStore().running.values()];
  for (const job of running) {
    job.controller.abort(new Error(`The server is shutting down (${reason}).`));
  }
  return Promise.all(running.map((job) => job.finished)).then(() => undefined);
}

function hookSignals(store: JobStore): void {
  if (store.signalsHooked || process.env.NEXT_MANUAL_SIG_HANDLE) return;
  store.signalsHooked = true;
  // Next.js's own handler (registered by `next start` unless NEXT_MANUAL_SIG_HANDLE is set) closes
  // the server, awaits every pending `after()` callback and then exits; this one only makes those
  // callbacks roll back instead of waiting for VMs nobody will hear about.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      const count = store.running.size;
      if (count > 0) {
        console.error(`${signal}: rolling back ${count} provisioning job(s) before exit.`);
      }
      void shutdownJobs(signal);
    });
  }
}

/**
 * The job record for a settled `provisionVM()`: `succeeded` with the VM, also when only an output
 * failed after it (the VM is up: a warning says what failed), or `failed` with the phase.
 */
export function finishedJob(
  job: { jobId: string; startedAt: string },
  outcome: { result: ProvisionResult } | { error: unknown },
): Job {
  if ("result" in outcome) return { ...job, status: "succeeded", result: outcome.result };
  const { error } = outcome;
  if (error instanceof ProvisionOutputError) {
    return {
      ...job,
      status: "succeeded",
      result: error.result,
      warnings: error.failures.map(
        (failure) => `The VM is up, but output ${failure.output} failed: ${failure.message}`,
      ),
    };
  }
  // ProvisionError messages are redacted by the provisioner; other errors are not shown.
  return {
    ...job,
    status: "failed",
    error:
      error instanceof ProvisionError
        ? {
            phase: error.phase,
            ...(error.code ? { code: error.code } : {}),
            message: error.message,
          }
        : { message: "Provisioning failed unexpectedly; see the server log." },
  };
}
