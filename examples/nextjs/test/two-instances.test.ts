import { beforeAll, describe, expect, it } from "vitest";
import type { JobView } from "../lib/jobs/job-view.ts";
import { createTokenWithScript, simulatedCloudFixture, type TestApp } from "./app-fixture.ts";
import { startNextServer } from "./next-server.ts";
import { createScratchPostgres, POSTGRES_URL, WITHOUT_POSTGRES } from "./test-databases.ts";

describe.skipIf(!POSTGRES_URL)(
  `two next start instances on one PostgreSQL database ${POSTGRES_URL ? "" : WITHOUT_POSTGRES}`,
  () => {
    const cloud = simulatedCloudFixture({ timeScale: 100 });
    const apps: TestApp[] = [];

    beforeAll(async () => {
      const scratch = await createScratchPostgres();
      // Dropped once both apps have closed.
      cloud.track({ close: () => scratch.drop() });
      const env = cloud.environment({ DATABASE_URL: scratch.url });
      // PostgreSQL is shared: the script runs beside the servers, unlike with PGlite.
      const [first, second] = await Promise.all([
        startNextServer({ env }),
        startNextServer({ env }),
      ]);
      const token = await createTokenWithScript(env, "tests");
      const otherToken = await createTokenWithScript(env, "other");
      for (const server of [first, second])
        apps.push(cloud.attach(server, { token, otherToken, env }));
    });

    it("provision a job once when both get the same request at the same moment", async () => {
      const body = JSON.stringify({ agentId: "agent-twice", jobId: "job-twice" });
      const responses = await Promise.all(
        apps.map((app) => app.call("/api/vms", { method: "POST", body })),
      );
      expect(responses.map((response) => response.status)).toEqual([202, 202]);

      const [first, second] = apps as [TestApp, TestApp];
      const job = await first.waitForJob("job-twice", (item) => item.status !== "provisioning");
      expect(job.status).toBe("succeeded");
      const seen = (await (await second.call("/api/vms/job-twice")).json()) as JobView;
      expect(seen).toEqual(job);
      expect(cloud.sim.state.servers()).toHaveLength(1);
      const creates = cloud.sim.state
        .requests()
        .filter((entry) => entry.method === "POST" && entry.path === "/servers");
      expect(creates).toHaveLength(1);
    });
  },
);
