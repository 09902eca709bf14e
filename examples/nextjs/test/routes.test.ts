import { type ProvisionResult, webhookOutput } from "@tailvm/provisioner";
import { type SimulatedCloudServer, startSimulatedCloudServer } from "@tailvm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NextServer, startNextServer } from "./next-server.js";

const WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

let sim: SimulatedCloudServer;
let app: NextServer;

beforeAll(async () => {
  // 100x: a 40 s boot and a 15 s tailnet join take about half a second of real time.
  sim = await startSimulatedCloudServer({ timeScale: 100 });
  app = await startNextServer({
    env: {
      HETZNER_API_TOKEN: sim.credentials.hetznerToken,
      HETZNER_API_URL: sim.hetznerUrl,
      TAILSCALE_OAUTH_CLIENT_ID: sim.credentials.tailscaleOAuthClientId,
      TAILSCALE_OAUTH_CLIENT_SECRET: sim.credentials.tailscaleOAuthClientSecret,
      TAILSCALE_API_URL: sim.tailscaleUrl,
      TAILVM_TAILSCALE_TAGS: "tag:agent",
      TAILVM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface JobBody {
  jobId: string;
  status: "provisioning" | "succeeded" | "failed";
  result?: ProvisionResult;
  error?: { phase?: string; message: string };
}

/** Polls the job until it leaves `provisioning`, within a deadline. */
async function settledJob(jobId: string, timeoutMs = 20_000): Promise<JobBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${app.url}/api/vms/${jobId}`);
    expect(response.status).toBe(200);
    const job = (await response.json()) as JobBody;
    if (job.status !== "provisioning") return job;
    if (Date.now() > deadline)
      throw new Error(`job ${jobId} still provisioning after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("POST /api/vms", () => {
  it("answers 400 naming every bad field, and sends no request to either cloud", async () => {
    const before = sim.state.requests().length;
    const response = await postJson("/api/vms", {
      agentId: 42,
      cloudInit: [],
      region: "eu-central",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; issues: { field: string }[] };
    expect(body.issues.map((issue) => issue.field).sort()).toEqual(["agentId", "cloudInit"]);
    expect(body.error).toContain("agentId");

    const badRegion = await postJson("/api/vms", { agentId: "agent-1", region: "mars" });
    expect(badRegion.status).toBe(400);
    const regionBody = (await badRegion.json()) as { issues: { field: string; message: string }[] };
    expect(regionBody.issues).toEqual([
      expect.objectContaining({ field: "region", message: expect.stringContaining("eu-central") }),
    ]);

    const notJson = await postJson("/api/vms", "{ not json");
    expect(notJson.status).toBe(400);
    expect(sim.state.requests().length).toBe(before);
  });

  it("answers 202 with the job id, then the job reports the VM's tailnet address", async () => {
    const response = await postJson("/api/vms", {
      agentId: "agent-nextjs",
      jobId: "job-nextjs-1",
      region: "eu-central",
      ttl: "2h",
    });
    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toBe("/api/vms/job-nextjs-1");
    const accepted = (await response.json()) as JobBody;
    expect(accepted).toMatchObject({ jobId: "job-nextjs-1", status: "provisioning" });

    const job = await settledJob("job-nextjs-1");
    expect(job.error).toBeUndefined();
    expect(job.status).toBe("succeeded");
    const result = job.result as ProvisionResult;
    expect(result.jobId).toBe("job-nextjs-1");
    expect(result.tailscaleIp).toMatch(/^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+$/);

    const servers = sim.state.servers();
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({ id: result.serverId, status: "running" });
    expect(servers[0]?.labels).toMatchObject({ "managed-by": "tailvm" });
    const device = sim.state.devices().find((entry) => entry.nodeId === result.tailscaleDeviceId);
    expect(device?.tags).toEqual(["tag:agent"]);
    expect(sim.state.validAuthKeys()).toEqual([]);

    // The same job id again is the same job, not a second VM.
    const again = await postJson("/api/vms", { agentId: "agent-nextjs", jobId: "job-nextjs-1" });
    expect(again.status).toBe(202);
    expect(((await again.json()) as JobBody).status).toBe("succeeded");
    expect(sim.state.servers()).toHaveLength(1);

    // No credential reached the server's log.
    for (const secret of Object.values(sim.credentials)) {
      expect(app.output()).not.toContain(secret);
    }
  });

  it("answers 404 for a job it does not know", async () => {
    const response = await fetch(`${app.url}/api/vms/no-such-job`);
    expect(response.status).toBe(404);
  });
});

describe("POST /api/vms/callback", () => {
  const result: ProvisionResult = {
    serverId: 7,
    serverName: "agent-callback",
    serverIpv4: "203.0.113.7",
    serverIpv6: null,
    location: "nbg1",
    serverType: "cx23",
    price: { currency: "EUR", vat: "excluded", hourly: 0.0048, monthly: 3.49 },
    alternatives: [],
    tailscaleIp: "100.64.0.7",
    tailscaleIpv6: null,
    tailscaleHostname: "agent-callback",
    tailscaleDeviceId: "node-7",
    agentId: "agent-callback",
    jobId: "job-callback",
    adopted: false,
    timings: {},
    totalMs: 1,
  };
  const run = {
    runId: "run-1",
    agentId: "agent-callback",
    jobId: "job-callback",
    startedAt: Date.now(),
    finishedAt: Date.now(),
  };

  /** Sends a signed callback the way the provisioner's webhookOutput does, and keeps what it sent. */
  async function sendSigned(): Promise<{ status: number; headers: Headers; body: string }> {
    const sent: { headers: Headers; body: string; status: number }[] = [];
    const output = webhookOutput({
      url: `${app.url}/api/vms/callback`,
      secret: WEBHOOK_SECRET,
      retries: 0,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        sent.push({
          headers: new Headers(init?.headers),
          body: String(init?.body),
          status: response.status,
        });
        return response;
      },
    });
    await output.success?.(result, run);
    const [first] = sent;
    if (!first) throw new Error("webhookOutput sent nothing");
    return first;
  }

  it("accepts a good Standard Webhooks signature", async () => {
    const sent = await sendSigned();
    expect(sent.status).toBe(200);
    expect(sent.headers.get("webhook-signature")).toMatch(/^v1,/);
  });

  it("answers 401 to a bad signature, a tampered body and missing headers", async () => {
    const sent = await sendSigned();
    const signature = sent.headers.get("webhook-signature") ?? "";

    const forged = new Headers(sent.headers);
    forged.set(
      "webhook-signature",
      `v1,${Buffer.from("forged".padEnd(32, "!")).toString("base64")}`,
    );
    const badSignature = await fetch(`${app.url}/api/vms/callback`, {
      method: "POST",
      headers: forged,
      body: sent.body,
    });
    expect(badSignature.status).toBe(401);
    expect(((await badSignature.json()) as { reason: string }).reason).toBe("invalid-signature");

    const tampered = await fetch(`${app.url}/api/vms/callback`, {
      method: "POST",
      headers: sent.headers,
      body: sent.body.replace("100.64.0.7", "100.64.0.8"),
    });
    expect(tampered.status).toBe(401);
    expect(signature).not.toBe("");

    const unsigned = await postJson("/api/vms/callback", JSON.parse(sent.body));
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { reason: string }).reason).toBe("missing-headers");
  });
});
