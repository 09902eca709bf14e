import { logger } from "../environment.ts";

interface RunningJob {
  controller: AbortController;
  finished: Promise<void>;
}

interface RunningJobs {
  /** Jobs whose `provisionVM()` runs in this process, each with the controller that rolls it back. */
  jobs: Map<string, RunningJob>;
  signalsHooked: boolean;
}

const RUNNING_KEY = Symbol.for("tailvm.example-nextjs.running-jobs");

// Next.js may load each route in a module graph of its own, so this hangs off globalThis.
function runningJobs(): RunningJobs {
  const holder = globalThis as typeof globalThis & { [RUNNING_KEY]?: RunningJobs };
  holder[RUNNING_KEY] ??= { jobs: new Map(), signalsHooked: false };
  return holder[RUNNING_KEY];
}

/** A job registered by {@link startRunningJob}. */
export interface RunningJobHandle {
  signal: AbortSignal;
  finish(): void;
}

/**
 * Registers a job whose `provisionVM()` is about to run in this process: pass `signal` to it and
 * call `finish()` when it has settled. Resolves undefined when the job already runs here. On
 * SIGTERM or SIGINT every running job is aborted, so each rolls back what it created. `next start`
 * then waits for the `after()` callbacks, rollbacks included, before it exits. With
 * `NEXT_MANUAL_SIG_HANDLE` set, Next.js leaves signals to you: call {@link shutdownJobs} from your
 * handler and await it before exiting.
 */
export function startRunningJob(jobId: string): RunningJobHandle | undefined {
  const store = runningJobs();
  if (store.jobs.has(jobId)) return undefined;
  hookSignals(store);
  const controller = new AbortController();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const entry = { controller, finished };
  store.jobs.set(jobId, entry);
  return {
    signal: controller.signal,
    finish: () => {
      if (store.jobs.get(jobId) === entry) store.jobs.delete(jobId);
      finish();
    },
  };
}

/**
 * Aborts the job if it runs in this process (it rolls back what it created) and resolves once it
 * has settled; resolves false at once when it does not run here.
 */
export async function abortRunningJob(jobId: string, reason: string): Promise<boolean> {
  const job = runningJobs().jobs.get(jobId);
  if (!job) return false;
  job.controller.abort(new Error(reason));
  await job.finished;
  return true;
}

/** Whether the job's `provisionVM()` runs in this process. */
export function isRunningHere(jobId: string): boolean {
  return runningJobs().jobs.has(jobId);
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
  const running = [...runningJobs().jobs.values()];
  for (const job of running) {
    job.controller.abort(new Error(`The server is shutting down (${reason}).`));
  }
  return Promise.all(running.map((job) => job.finished)).then(() => undefined);
}

function hookSignals(store: RunningJobs): void {
  if (store.signalsHooked || process.env.NEXT_MANUAL_SIG_HANDLE) return;
  store.signalsHooked = true;
  // Next.js's own handler (registered by `next start` unless NEXT_MANUAL_SIG_HANDLE is set) closes
  // the server, awaits every pending `after()` callback and then exits; this one only makes those
  // callbacks roll back instead of waiting for VMs nobody will hear about.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      const count = store.jobs.size;
      if (count > 0)
        logger.warn?.(`${signal}: rolling back ${count} provisioning job(s) before exit.`);
      void shutdownJobs(signal);
    });
  }
}
