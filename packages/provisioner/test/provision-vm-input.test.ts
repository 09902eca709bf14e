import { describe, expect, it } from "vitest";
import { ProvisionInputError } from "../src/errors.js";
import { provisionVM } from "../src/one-shot.js";
import type { ProvisionOptions } from "../src/types.js";
import { baseOptions } from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/provision-vm-input.test.ts");
const options = baseOptions;

describe("provisionVM: bad input", () => {
  it("sends no request and names every bad field", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(
      { agentId: "", region: "mars", tailscale: { tags: ["ci"] } } as ProvisionOptions,
      context,
    ).catch((caught: unknown) => caught);
    sink.recordError(error);
    expect(error).toBeInstanceOf(ProvisionInputError);
    expect((error as ProvisionInputError).issues.map((issue) => issue.field)).toEqual([
      "agentId",
      "region",
      "tailscale.tags[0]",
    ]);
    expect(sim.state.requests()).toEqual([]);
  });

  it("keeps a credential pasted into an option out of the error", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(
      { ...options, agentId: `${sim.credentials.hetznerToken}!` },
      context,
    ).catch((caught: unknown) => caught);
    sink.recordError(error);
    expect(error).toBeInstanceOf(ProvisionInputError);
    expect((error as Error).message).toContain('got "***!"');
    expect(sim.state.requests()).toEqual([]);
  });

  it("rejects invalid cloud-config fragments before any request", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(
      { ...options, cloudInit: [{ write_files: [{ path: "relative/path", content: "x" }] }] },
      context,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionInputError);
    expect((error as ProvisionInputError).issues[0]?.field).toContain("write_files[0].path");
    expect(sim.state.requests()).toEqual([]);
  });

  it("rejects missing credentials before any request", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(options, {
      ...context,
      hetzner: { token: "" },
      tailscale: {} as never,
    }).catch((caught: unknown) => caught);
    expect((error as ProvisionInputError).issues.map((issue) => issue.field)).toEqual([
      "context.hetzner",
      "context.tailscale",
    ]);
    expect(sim.state.requests()).toEqual([]);
  });
});
