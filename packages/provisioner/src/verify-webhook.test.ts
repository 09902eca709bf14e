import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createSecretSink } from "../test/support/secret-sink.js";
import { verifyWebhook, WebhookVerificationError } from "./verify-webhook.js";
import type { WebhookPayload } from "./webhook-payload.js";

const sink = createSecretSink("verify-webhook.test.ts");
const secret = "receiver-secret-9";
sink.addSecret(secret);
const now = new Date("2026-11-29T12:00:00Z");
const payload: WebhookPayload = {
  type: "vm.deprovisioned",
  timestamp: now.toISOString(),
  data: {
    version: 1,
    jobId: "job-1",
    serverId: 1,
    serverName: "agent-a-1",
    removed: [{ resource: "server", id: "1" }],
    metadata: {},
  },
};
const body = JSON.stringify(payload);

function signed(options: { at?: Date; payload?: string; key?: string } = {}) {
  const at = options.at ?? now;
  const id = "msg_1";
  const signature = new Webhook(new TextEncoder().encode(options.key ?? secret), {
    format: "raw",
  }).sign(id, at, options.payload ?? body);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(WebhookVerificationError);
  sink.recordError(error);
  return (error as WebhookVerificationError).reason;
}

describe("verifyWebhook", () => {
  it("accepts a correctly signed request and returns the parsed body", async () => {
    await expect(verifyWebhook({ headers: signed(), body }, secret, { now })).resolves.toEqual(
      JSON.parse(body),
    );
  });

  it("accepts a Request and a whsec_ secret", async () => {
    const whsec = `whsec_${Buffer.from("a-32-byte-key-for-the-test-0000").toString("base64")}`;
    sink.addSecret(whsec);
    const at = new Date();
    const headers = {
      "webhook-id": "msg_2",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(whsec).sign("msg_2", at, body),
    };
    const request = new Request("http://127.0.0.1/cb", { method: "POST", headers, body });
    await expect(verifyWebhook(request, whsec)).resolves.toEqual(JSON.parse(body));
  });

  it("accepts one matching signature among several (key rotation) and array headers", async () => {
    const headers = signed();
    const rotated = {
      ...headers,
      "webhook-signature": ["v1,bm90LXRoaXMtb25l", headers["webhook-signature"]],
    };
    await expect(verifyWebhook({ headers: rotated, body }, secret, { now })).resolves.toBeTruthy();
  });

  it("rejects a tampered body", async () => {
    const tampered = body.replace('"serverId":1', '"serverId":2');
    expect(tampered).not.toBe(body);
    expect(
      await rejection(verifyWebhook({ headers: signed(), body: tampered }, secret, { now })),
    ).toBe("invalid-signature");
  });

  it("rejects a signature made with another secret", async () => {
    const headers = signed({ key: "another-secret" });
    expect(await rejection(verifyWebhook({ headers, body }, secret, { now }))).toBe(
      "invalid-signature",
    );
  });

  it("rejects timestamps more than five minutes off, either way", async () => {
    const old = signed({ at: new Date(now.getTime() - 301_000) });
    expect(await rejection(verifyWebhook({ headers: old, body }, secret, { now }))).toBe(
      "timestamp-too-old",
    );
    const future = signed({ at: new Date(now.getTime() + 301_000) });
    expect(await rejection(verifyWebhook({ headers: future, body }, secret, { now }))).toBe(
      "timestamp-too-new",
    );
    const edge = signed({ at: new Date(now.getTime() - 299_000) });
    await expect(verifyWebhook({ headers: edge, body }, secret, { now })).resolves.toBeTruthy();
  });

  it("rejects missing headers and a non-numeric timestamp", async () => {
    expect(await rejection(verifyWebhook({ headers: {}, body }, secret, { now }))).toBe(
      "missing-headers",
    );
    const headers = { ...signed(), "webhook-timestamp": "yesterday" };
    expect(await rejection(verifyWebhook({ headers, body }, secret, { now }))).toBe(
      "invalid-timestamp",
    );
  });

  it("rejects a replayed signature whose timestamp was changed", async () => {
    const headers = signed({ at: new Date(now.getTime() - 3600_000) });
    const replay = { ...headers, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)) };
    expect(await rejection(verifyWebhook({ headers: replay, body }, secret, { now }))).toBe(
      "invalid-signature",
    );
  });

  it("returns the payload typed, and rejects a signed body that is not a payload, naming the field", async () => {
    const verified = await verifyWebhook({ headers: signed(), body }, secret, { now });
    expect(verified.type).toBe("vm.deprovisioned");
    if (verified.type === "vm.deprovisioned") expect(verified.data.removed).toHaveLength(1);

    const cases: [unknown, RegExp][] = [
      ["just a string", /not a JSON object/],
      [{ ...payload, type: "provision.succeeded" }, /type is "provision.succeeded"/],
      [{ ...payload, timestamp: "soon" }, /timestamp/],
      [{ ...payload, data: { ...payload.data, version: 2 } }, /data.version is 2/],
      [{ ...payload, data: { ...payload.data, serverId: "1" } }, /data.serverId/],
      [
        { ...payload, data: { ...payload.data, removed: [{ resource: "disk", id: "1" }] } },
        /data.removed/,
      ],
      [
        { type: "vm.provisioned", timestamp: now.toISOString(), data: { ...payload.data } },
        /data.runId/,
      ],
    ];
    for (const [value, message] of cases) {
      const text = JSON.stringify(value);
      const error = await verifyWebhook(
        { headers: signed({ payload: text }), body: text },
        secret,
        {
          now,
        },
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect((error as WebhookVerificationError).reason).toBe("invalid-body");
      expect((error as Error).message).toMatch(message);
    }
    const empty = await verifyWebhook({ headers: signed({ payload: "" }), body: "" }, secret, {
      now,
    }).catch((caught: unknown) => caught);
    expect((empty as WebhookVerificationError).reason).toBe("invalid-body");
  });
});
