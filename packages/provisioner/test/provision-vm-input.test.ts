import { describe, expect, it } from "vitest";
import { provisionVM } from "../src/one-shot.js";
import type { ProvisionOptions } from "../src/types.js";
import { baseOptions, inputErrorFrom, inputErrorOf } from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/provision-vm-input.test.ts");

describe("provisionVM: bad input", () => {
  it("sends no request and names every bad field", async () => {
    const { sim, error } = await inputErrorFrom(sink, {
      agentId: "",
      region: "mars",
      tailscale: { tags: ["ci"] },
    } as ProvisionOptions);
    expect(error.issues.map((issue) => issue.field)).toEqual([
      "agentId",
      "region",
      "tailscale.tags[0]",
    ]);
    expect(sim.state.requests()).toEqual([]);
  });

  it("keeps a credential pasted into an option out of the error", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await inputErrorOf(
      sink,
      provisionVM({ ...baseOptions, agentId: `${sim.credentials.hetznerToken}!` }, context),
    );
    expect(error.message).toContain('got "***!"');
    expect(sim.state.requests()).toEqual([]);
  });

  it("rejects invalid cloud-config fragments before any request", async () => {
    const { sim, error } = await inputErrorFrom(sink, {
      ...baseOptions,
      cloudInit: [{ write_files: [{ path: "relative/path", content: "x" }] }],
    });
    expect(error.issues[0]?.field).toContain("write_files[0].path");
    expect(sim.state.requests()).toEqual([]);
  });

  it("rejects missing credentials before any request", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await inputErrorOf(
      sink,
      provisionVM(baseOptions, { ...context, hetzner: { token: "" }, tailscale: {} as never }),
    );
    expect(error.issues).toEqual([
      {
        field: "context.hetzner",
        message:
          "is required: a Hetzner client from createHetznerClient(), or { token } with a Read & Write API token",
      },
      {
        field: "context.tailscale",
        message:
          "is required: a Tailscale client from createTailscaleClient(), or { auth: { apiKey } | { oauthClientId, oauthClientSecret } }",
      },
    ]);
    expect(sim.state.requests()).toEqual([]);
  });
});
