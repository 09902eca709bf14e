import { type ProvisionContext, silentLogger } from "@tailvm/provisioner";
import { createSimulatedCloud, type SimulatedCloud } from "@tailvm/testing";
import { eq } from "drizzle-orm";
import type { Database } from "../lib/database/open-database.ts";
import { apiTokens, jobs } from "../lib/database/schema.ts";
import { insertJob } from "../lib/jobs/job-store.ts";
import type { RunningJobHandle } from "../lib/jobs/running-jobs.ts";

/** The in-process simulator (virtual time) and a provisioner context that talks to it. */
export function simulatedContext(): { sim: SimulatedCloud; context: ProvisionContext } {
  const sim = createSimulatedCloud();
  return {
    sim,
    context: {
      hetzner: { token: sim.credentials.hetznerToken, baseUrl: sim.hetznerUrl, fetch: sim.fetch },
      tailscale: {
        auth: { apiKey: sim.credentials.tailscaleApiKey },
        baseUrl: sim.tailscaleUrl,
        fetch: sim.fetch,
      },
      clock: sim.clock,
      logger: silentLogger,
    },
  };
}

/** Writes an owner token row and a local `provisioning` job, as `POST /api/vms` does. */
export async function seedJob(database: Database, jobId: string, createdAt?: Date): Promise<void> {
  await database.db
    .insert(apiTokens)
    .values({ id: "owner000000a", name: "owner", secretHash: "0".repeat(64) })
    .onConflictDoNothing();
  await insertJob(database.db, {
    jobId,
    ownerTokenId: "owner000000a",
    mode: "local",
    request: { agentId: "agent-1", tags: ["tag:agent"], ttl: "2h" },
  });
  if (createdAt) {
    await database.db.update(jobs).set({ createdAt }).where(eq(jobs.jobId, jobId));
  }
}

/** A handle of its own, as a second instance of the app would have (no shared in-process state). */
export function separateHandle(): RunningJobHandle {
  return { signal: new AbortController().signal, finish: () => undefined };
}
