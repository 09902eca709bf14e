import { provisionVM, type WebhookPayload, webhookOutput } from "@tailvm/provisioner";
import { beforeAll, describe, expect, it } from "vitest";
import type { JobView } from "../lib/jobs/job-view.ts";
import { simulatedCloudFixture, type TestApp } from "./app-fixture.ts";
import { type FakeGithub, type ReceivedDispatch, startFakeGithub } from "./fake-github.ts";

const WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const cloud = simulatedCloudFixture({ timeScale: 100 });
let github: FakeGithub;
let app: TestApp;

beforeAll(async () => {
  github = cloud.track(await startFakeGithub());
  // The simulator's Hetzner token serves only prices and DELETE: provisioning runs in the "workflow".
  app = await cloud.start({
    TAILVM_PROVISION_MODE: "dispatch",
    GITHUB_TOKEN: "ghp_exampleexampleexampleexample0000",
    GITHUB_API_URL: `${github.url}/`,
    TAILVM_GITHUB_REPOSITORY: "acme/infra",
    TAILVM_CALLBACK_URL: "http://127.0.0.1/api/vms/callback",
    TAILVM_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
});

interface Delivery {
  headers: Headers;
  body: string;
  status: number;
}

/**
 * What the provisioning workflow does with a dispatch: provisionVM() against the simulator, then
 * the signed `vm.provisioned` payload (as the tailvm action sends it) to the app's callback route.
 */
async function runWorkflow(dispatch: ReceivedDispatch): Promise<Delivery> {
  const deliveries: Delivery[] = [];
  const { job_id: jobId, agent_id: agentId, region } = dispatch.body.inputs;
  const callback = webhookOutput({
    url: `${app.server.url}/api/vms/callback`,
    secret: WEBHOOK_SECRET,
    retries: 0,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      deliveries.push({
        headers: new Headers(init?.headers),
        body: String(init?.body),
        status: response.status,
      });
      return response;
    },
  });
  await provisionVM(
    {
      agentId: agentId ?? "",
      jobId: jobId ?? "",
      region: region ?? "eu-central",
      tailscale: { tags: ["tag:agent"] },
    },
    {
      hetzner: { token: cloud.sim.credentials.hetznerToken, baseUrl: cloud.sim.hetznerUrl },
      tailscale: {
        auth: { apiKey: cloud.sim.credentials.tailscaleApiKey },
        baseUrl: cloud.sim.tailscaleUrl,
      },
      outputs: [callback],
      logger: [],
    },
  );
  const [delivery] = deliveries;
  if (!delivery) throw new Error("the workflow sent no callback");
  return delivery;
}

describe("dispatch mode", () => {
  it("dispatches the workflow, and the signed callback completes the job once", async () => {
    let delivered: Promise<Delivery> | undefined;
    github.onDispatch((dispatch) => {
      delivered = runWorkflow(dispatch);
    });
    const response = await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({
        agentId: "agent-dispatch",
        jobId: "job-dispatch-1",
        region: "eu-central",
      }),
    });
    expect(response.status).toBe(202);
    expect(((await response.json()) as JobView).mode).toBe("dispatch");

    expect(github.dispatches).toHaveLength(1);
    const [dispatch] = github.dispatches;
    expect(dispatch?.path).toBe(
      "/repos/acme/infra/actions/workflows/provision-agent.yml/dispatches",
    );
    expect(dispatch?.authorization).toBe("token ghp_exampleexampleexampleexample0000");
    expect(dispatch?.body).toEqual({
      ref: "main",
      inputs: {
        job_id: "job-dispatch-1",
        agent_id: "agent-dispatch",
        region: "eu-central",
        callback_url: "http://127.0.0.1/api/vms/callback",
      },
    });

    const delivery = await (delivered as Promise<Delivery>);
    expect(delivery.status).toBe(200);
    const job = await app.waitForJob("job-dispatch-1", (item) => item.status !== "provisioning");
    expect(job).toMatchObject({
      status: "succeeded",
      vm: {
        serverId: cloud.sim.state.servers()[0]?.id,
        location: "nbg1",
        price: { currency: "EUR" },
      },
    });
    expect(job.vm?.tailscaleIp).toMatch(/^100\./);

    // The same delivery again (a retry, or a replay within the tolerance): recorded once.
    const replay = await fetch(`${app.server.url}/api/vms/callback`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ duplicate: true, applied: false });

    // Deleting works in dispatch mode too: the app deprovisions with its own credentials.
    await app.call("/api/vms/job-dispatch-1", { method: "DELETE" });
    await app.waitForJob("job-dispatch-1", (item) => item.status === "deleted");
    expect(cloud.sim.state.servers()).toEqual([]);
  });

  it("answers 401 to a bad, stale or missing signature, 400 to another shape, and changes nothing", async () => {
    const pending = new Promise<ReceivedDispatch>((resolve) => github.onDispatch(resolve));
    await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({ agentId: "agent-forged", jobId: "job-dispatch-2" }),
    });
    const dispatch = await pending;
    const payload: WebhookPayload = {
      type: "vm.provisioned",
      timestamp: new Date().toISOString(),
      data: {
        version: 1,
        runId: "run-forged",
        agentId: "agent-forged",
        jobId: dispatch.body.inputs.job_id ?? "",
        serverId: 99,
        serverName: "agent-forged",
        serverIpv4: null,
        serverIpv6: null,
        location: "nbg1",
        serverType: "cx23",
        tailscaleIp: "100.64.0.99",
        tailscaleIpv6: null,
        tailscaleHostname: "agent-forged",
        tailscaleDeviceId: "n99",
        adopted: false,
        timings: {},
        totalMs: 0,
        metadata: {},
      },
    };
    const body = JSON.stringify(payload);
    const now = Math.floor(Date.now() / 1000);
    const attempts: [string, Record<string, string>][] = [
      [
        "invalid-signature",
        {
          "webhook-id": "msg_1",
          "webhook-timestamp": String(now),
          "webhook-signature": `v1,${Buffer.from("x".repeat(32)).toString("base64")}`,
        },
      ],
      [
        "timestamp-too-old",
        {
          "webhook-id": "msg_2",
          "webhook-timestamp": String(now - 3_600),
          "webhook-signature": "v1,AAAA",
        },
      ],
      ["missing-headers", {}],
    ];
    for (const [reason, headers] of attempts) {
      const response = await fetch(`${app.server.url}/api/vms/callback`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
      expect(response.status, reason).toBe(401);
      expect(((await response.json()) as { reason: string }).reason).toBe(reason);
    }

    // Signed right, but not a version-1 payload (the flat body of earlier tailvm actions): 400.
    const answers: { status: number; body: Record<string, unknown> }[] = [];
    const sender = (body?: object) =>
      webhookOutput({
        url: `${app.server.url}/api/vms/callback`,
        secret: WEBHOOK_SECRET,
        retries: 0,
        ...(body ? { body: () => body } : {}),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          answers.push({ status: response.status, body: await response.clone().json() });
          return response;
        },
      });
    const flat = { status: "success", job_id: dispatch.body.inputs.job_id, server_id: 99 };
    // The custom body ignores the outcome it is given.
    await expect(sender(flat).send(undefined as never)).rejects.toThrow(/HTTP 400/);
    expect(answers[0]).toMatchObject({ status: 400, body: { reason: "invalid-body" } });
    // vm.deprovisioned is a valid payload this app has no use for: received, not applied.
    await sender().deprovisioned({
      jobId: dispatch.body.inputs.job_id ?? "",
      serverId: 99,
      serverName: "agent-forged",
      cleanup: { removed: [], failed: [] },
    });
    expect(answers[1]).toMatchObject({ status: 200, body: { received: true, applied: false } });
    const job = (await (await app.call("/api/vms/job-dispatch-2")).json()) as JobView;
    expect(job).toMatchObject({ status: "provisioning", vm: null });
  });

  it("fails the job, saying why, when GitHub refuses the dispatch", async () => {
    github.answerWith(422);
    const response = await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({ agentId: "agent-refused", jobId: "job-dispatch-3" }),
    });
    github.answerWith(204);
    expect(response.status).toBe(202);
    const job = (await response.json()) as JobView;
    expect(job).toMatchObject({
      status: "failed",
      error: { phase: "dispatch", code: "github_422" },
    });
    expect(job.error?.message).toContain("acme/infra");
    expect(app.server.output()).not.toContain("ghp_exampleexampleexampleexample0000");
  });
});
