import { provisionVM } from "@tailvm/provisioner";
import { describe, expect, it } from "vitest";
import { seedJob, separateHandle, simulatedContext } from "../../test/simulated-context.ts";
import {
  createScratchPostgres,
  ENGINES,
  POSTGRES_URL,
  useTestDatabase,
  WITHOUT_POSTGRES,
} from "../../test/test-databases.ts";
import type { Database } from "../database/open-database.ts";
import { findJob, insertJob } from "./job-store.ts";
import { resumeJobs } from "./resume-jobs.ts";
import { runLocalJob } from "./run-local-job.ts";

function serverCreates(sim: ReturnType<typeof simulatedContext>["sim"]): number {
  return sim.state
    .requests()
    .filter((entry) => entry.method === "POST" && entry.path === "/servers").length;
}

describe.each(ENGINES)("jobs on $engine $reason", ({ engine, skip }) => {
  // Each test has job ids of its own.
  const database = useTestDatabase(engine, { skip });

  it.skipIf(skip)("provisions a job once when two runners race for it", async () => {
    const { sim, context } = simulatedContext();
    await seedJob(database(), "job-race");
    const results = await Promise.all([
      runLocalJob(database(), "job-race", { context, handle: separateHandle() }),
      runLocalJob(database(), "job-race", { context, handle: separateHandle() }),
    ]);
    expect(results.filter((result) => result === "ran")).toHaveLength(1);
    expect(serverCreates(sim)).toBe(1);
    expect((await findJob(database().db, "job-race"))?.job.status).toBe("succeeded");
  });

  it.skipIf(skip)(
    "resumes a recent job left provisioning, adopting the server its first run made",
    async () => {
      const { sim, context } = simulatedContext();
      // What a run killed at the last moment leaves: its VM is up, the job row still provisioning.
      await seedJob(database(), "job-resume");
      await provisionVM(
        { agentId: "agent-1", jobId: "job-resume", tailscale: { tags: ["tag:agent"] } },
        context,
      );

      const report = await resumeJobs(database(), { context, withinSeconds: 600 });

      expect(report).toEqual({ resumed: ["job-resume"], rolledBack: [], skipped: [] });
      expect(serverCreates(sim)).toBe(1);
      const stored = await findJob(database().db, "job-resume");
      expect(stored?.job.status).toBe("succeeded");
      expect(stored?.vm).toMatchObject({ adopted: true, serverId: sim.state.servers()[0]?.id });
      expect(sim.state.validAuthKeys()).toEqual([]);
    },
  );

  it.skipIf(skip)(
    "rolls back an old job left provisioning, leaving nothing in the clouds",
    async () => {
      const { sim, context } = simulatedContext();
      // What a run killed at the last moment leaves: its VM is up, the job row still provisioning.
      await seedJob(database(), "job-old", new Date(Date.now() - 3_600_000));
      await provisionVM(
        { agentId: "agent-1", jobId: "job-old", tailscale: { tags: ["tag:agent"] } },
        context,
      );
      expect(sim.state.servers()).toHaveLength(1);

      const report = await resumeJobs(database(), { context, withinSeconds: 600 });

      expect(report).toEqual({ resumed: [], rolledBack: ["job-old"], skipped: [] });
      expect(sim.state.servers()).toEqual([]);
      expect(sim.state.devices()).toEqual([]);
      expect(sim.state.validAuthKeys()).toEqual([]);
      const stored = await findJob(database().db, "job-old");
      expect(stored?.job).toMatchObject({ status: "failed", error: { code: "abandoned" } });
    },
  );

  it.skipIf(skip)("writes a job once when two requests insert it at the same moment", async () => {
    await seedJob(database(), "job-seed");
    const job = {
      jobId: "job-twice",
      ownerTokenId: "owner000000a",
      mode: "local" as const,
      request: { agentId: "agent-1", tags: ["tag:agent"] },
    };
    const results = await Promise.all([
      insertJob(database().db, job),
      insertJob(database().db, job),
    ]);
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
  });
});

describe.skipIf(!POSTGRES_URL)(
  `two instances on one PostgreSQL database ${POSTGRES_URL ? "" : WITHOUT_POSTGRES}`,
  () => {
    it("provision a job once: the second instance finds it locked by the first", async () => {
      const scratch = await createScratchPostgres();
      const opened: Database[] = [];
      try {
        const [first, second] = await Promise.all([scratch.open(), scratch.open()]);
        opened.push(first, second);
        const { sim, context } = simulatedContext();
        await seedJob(first, "job-shared");
        const results = await Promise.all([
          runLocalJob(first, "job-shared", { context, handle: separateHandle() }),
          runLocalJob(second, "job-shared", { context, handle: separateHandle() }),
          resumeJobs(second, { context, withinSeconds: 600 }),
        ]);
        expect(results.slice(0, 2).filter((result) => result === "ran")).toHaveLength(1);
        expect(serverCreates(sim)).toBe(1);
        expect((await findJob(second.db, "job-shared"))?.job.status).toBe("succeeded");
      } finally {
        for (const database of opened.splice(0)) await database.close();
        await scratch.drop();
      }
    });
  },
);
