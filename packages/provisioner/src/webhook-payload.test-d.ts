import { describe, expectTypeOf, it } from "vitest";
import type { ProvisionResult } from "./types.js";
import { verifyWebhook } from "./verify-webhook.js";
import type { VmProvisionedData, WebhookEventType, WebhookPayload } from "./webhook-payload.js";

describe("webhook payload types", () => {
  it("verifyWebhook returns the payload, narrowed by type", () => {
    expectTypeOf(verifyWebhook).returns.resolves.toEqualTypeOf<WebhookPayload>();
    const handle = (payload: WebhookPayload) => {
      if (payload.type === "vm.provisioned") expectTypeOf(payload.data.tailscaleIp).toBeString();
      if (payload.type === "vm.provision_failed") {
        expectTypeOf(payload.data.code).toEqualTypeOf<string | null>();
      }
      if (payload.type === "vm.deprovisioned") expectTypeOf(payload.data.removed).toBeArray();
    };
    expectTypeOf(handle).toBeFunction();
    expectTypeOf<WebhookEventType>().toEqualTypeOf<
      "vm.provisioned" | "vm.provision_failed" | "vm.deprovisioned"
    >();
  });

  it("carries every field of a result", () => {
    type Carried = Omit<ProvisionResult, never>;
    expectTypeOf<keyof Carried>().toMatchTypeOf<keyof VmProvisionedData>();
  });
});
