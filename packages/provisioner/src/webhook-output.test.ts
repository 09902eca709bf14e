import { createVirtualClock } from "@tailvm/internal/test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { provisionFailure, provisionResult } from "../test/support/provision-result.js";
import { createSecretSink } from "../test/support/secret-sink.js";
import { ProvisionInputError } from "./errors.js";
import type { ProvisionOutcome } from "./output.js";
import { verifyWebhook } from "./verify-webhook.js";
import { WebhookDeliveryError, webhookOutput } from "./webhook-output.js";

const sink = createSecretSink("webhook-output.test.ts");

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function receiver(statuses: (number | "network")[]) {
  const sent: Sent[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    sent.push({ url: String(input), headers, body: String(init?.body) });
    const status = statuses.shift() ?? 200;
    if (status === "network") throw new TypeError("fetch failed");
    return new Response(null, { status });
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

const outcome: ProvisionOutcome = {
  status: "success",
  result: provisionResult({ jobId: "job-1", timings: { placement: 1 }, totalMs: 10 }),
  run: { runId: "r1", agentId: "a", jobId: "job-1", startedAt: 0, finishedAt: 10 },
};

describe("webhookOutput", () => {
  it("signs with the secret's UTF-8 bytes so standardwebhooks verifies it", async () => {
    const secret = "plain-secret-ünïcode";
    sink.addSecret(secret);
    const { sent, fetch } = receiver([200]);
    const output = webhookOutput({ url: "https://hooks.example/cb", secret, fetch });
    await output.success?.(outcome.result, outcome.run);
    expect(sent).toHaveLength(1);
    const [request] = sent;
    if (!request) throw new Error("nothing sent");
    sink.record(request);
    const verifier = new Webhook(new TextEncoder().encode(secret), { format: "raw" });
    expect(verifier.verify(request.body, request.headers)).toMatchObject({
      type: "vm.provisioned",
      data: { version: 1, serverId: 42, tailscaleIp: "100.64.0.9", runId: "r1", metadata: {} },
    });
    // What verifyWebhook accepts is exactly what webhookOutput sends.
    const verified = await verifyWebhook(request, secret);
    expect(verified).toEqual(JSON.parse(request.body));
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it("base64-decodes a whsec_ secret, as the spec does", async () => {
    const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
    sink.addSecret(secret);
    const { sent, fetch } = receiver([200]);
    await webhookOutput({ url: "https://hooks.example/cb", secret, fetch }).failure?.(
      provisionFailure({ phase: "device-join", serverId: 42 }),
      outcome.run,
    );
    const [request] = sent;
    if (!request) throw new Error("nothing sent");
    expect(new Webhook(secret).verify(request.body, request.headers)).toMatchObject({
      type: "vm.provision_failed",
      data: { version: 1, phase: "device-join", code: null, serverId: 42 },
    });
    await expect(verifyWebhook(request, secret)).resolves.toMatchObject({
      type: "vm.provision_failed",
    });
    expect(() =>
      new Webhook("plain-other", { format: "raw" }).verify(request.body, request.headers),
    ).toThrow();
  });

  it("retries with backoff through the clock, keeping the same webhook-id and re-signing", async () => {
    const secret = "retry-secret-1";
    sink.addSecret(secret);
    // standardwebhooks checks the timestamp against the real time.
    const clock = createVirtualClock({ start: Date.now() });
    const { sent, fetch } = receiver([503, "network", 500, 200]);
    await webhookOutput({ url: "https://hooks.example/cb", secret, fetch, clock }).send(outcome);
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((request) => request.headers["webhook-id"])).size).toBe(1);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(sent.map((request) => Number(request.headers["webhook-timestamp"]))).toEqual(
      [0, 1, 3, 7].map((offset) => Math.floor(clock.now() / 1000) - 7 + offset),
    );
    const verifier = new Webhook(new TextEncoder().encode(secret), { format: "raw" });
    const last = sent.at(-1);
    if (!last) throw new Error("nothing sent");
    expect(() => verifier.verify(last.body, last.headers)).not.toThrow();
  });

  it("gives up with a typed error that names neither the secret nor the query", async () => {
    const secret = "give-up-secret";
    sink.addSecret(secret);
    sink.addSecret("query-token-123");
    const { sent, fetch } = receiver([500, 500, 500]);
    const output = webhookOutput({
      url: "https://hooks.example/cb?token=query-token-123",
      secret,
      fetch,
      clock: createVirtualClock(),
      retries: 2,
    });
    const error = await output.send(outcome).catch((caught: unknown) => caught);
    sink.recordError(error);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error).toMatchObject({ status: 500, attempts: 3 });
    expect((error as Error).message).toContain("https://hooks.example/cb answered HTTP 500");
    expect(sent).toHaveLength(3);
  });

  it("does not retry a 4xx answer", async () => {
    const { sent, fetch } = receiver([401]);
    const error = await webhookOutput({
      url: "https://hooks.example/cb",
      secret: "four-oh-one",
      fetch,
      clock: createVirtualClock(),
    })
      .send(outcome)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401 });
    expect(sent).toHaveLength(1);
  });

  it("rejects a bad url, an empty secret and a broken whsec_ secret up front", () => {
    expect(() => webhookOutput({ url: "ftp://x", secret: "" })).toThrow(ProvisionInputError);
    let error: unknown;
    try {
      webhookOutput({ url: "not a url", secret: "whsec_" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProvisionInputError);
    expect((error as ProvisionInputError).issues.map((issue) => issue.field)).toEqual([
      "url",
      "secret",
    ]);
  });

  it("uses a custom body", async () => {
    const { sent, fetch } = receiver([200]);
    await webhookOutput({
      url: "http://127.0.0.1:9/cb",
      secret: "custom-body",
      fetch,
      body: (value) => ({ status: value.status, job_id: value.run.jobId }),
    }).send(outcome);
    expect(JSON.parse(sent[0]?.body ?? "")).toEqual({ status: "success", job_id: "job-1" });
  });

  it("stops between attempts when the run's signal aborts, sending nothing more", async () => {
    const clock = createVirtualClock({ autoAdvance: false });
    const { sent, fetch } = receiver([503, 503, 503]);
    const controller = new AbortController();
    const output = webhookOutput({
      url: "https://hooks.example/cb",
      secret: "abort-me",
      fetch,
      clock,
    });
    const delivery = output.success?.(outcome.result, outcome.run, controller.signal);
    // The first attempt is answered 503; the output then waits 1 s before the second.
    for (let turn = 0; turn < 100 && clock.pending === 0; turn++) await Promise.resolve();
    expect(clock.pending).toBe(1);
    controller.abort(new Error("run cancelled"));
    await expect(delivery).rejects.toThrow("run cancelled");
    expect(sent).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it("sends vm.deprovisioned with the metadata, which verifyWebhook accepts", async () => {
    const secret = "deprovisioned-secret";
    sink.addSecret(secret);
    const { sent, fetch } = receiver([200]);
    await webhookOutput({
      url: "https://hooks.example/cb",
      secret,
      fetch,
      metadata: { githubRunId: "42" },
    }).deprovisioned({
      jobId: "job-1",
      serverId: null,
      serverName: null,
      cleanup: { removed: [{ resource: "server", id: "42" }], failed: [] },
    });
    const [request] = sent;
    if (!request) throw new Error("nothing sent");
    const verified = await verifyWebhook(request, secret);
    expect(verified).toMatchObject({
      type: "vm.deprovisioned",
      data: {
        version: 1,
        jobId: "job-1",
        removed: [{ resource: "server", id: "42" }],
        metadata: { githubRunId: "42" },
      },
    });
    expect(() =>
      webhookOutput({
        url: "https://hooks.example/cb",
        secret,
        metadata: { count: 1 as unknown as string },
      }),
    ).toThrow(/metadata.count/);
  });
});
