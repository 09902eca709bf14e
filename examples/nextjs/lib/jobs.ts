import type { ProvisionResult } from "@tailvm/provisioner";

/** One provisioning job as the API reports it. */
export type Job =
  | { jobId: string; status: "provisioning"; startedAt: string }
  | { jobId: string; status: "succeeded"; startedAt: string; result: ProvisionResult }
  | {
      jobId: string;
      status: "failed";
      startedAt: string;
      error: { phase?: string; code?: string; message: string };
    };

interface JobStore {
  jobs: Map<string, Job>;
  /** Webhook ids already processed: a re-sent callback keeps its id. */
  webhookIds: Set<string>;
}

const STORE_KEY = Symbol.for("tailvm.example-nextjs.jobs");

/**
 * The jobs of this process. Next.js may load each route in its own module graph, so the store
 * hangs off `globalThis`. It lives in memory: a real deployment keeps jobs in its database, because
 * a restart (or a second instance) would not see them.
 */
export function jobStore(): JobStore {
  const holder = globalThis as typeof globalThis & { [STORE_KEY]?: JobStore };
  holder[STORE_KEY] ??= { jobs: new Map(), webhookIds: new Set() };
  return holder[STORE_KEY];
}
