import { describe, expectTypeOf, it } from "vitest";
import type { ProvisionContext } from "./context.js";
import type { DeprovisionTarget } from "./deprovision-vm.js";
import type { Output } from "./output.js";
import { createProvisioner, type Provisioner } from "./provisioner.js";
import type { ProvisionEvent, ProvisionOptions, ProvisionResult, ServerPrice } from "./types.js";

describe("public types", () => {
  it("narrows events by type", () => {
    const handle = (event: ProvisionEvent) => {
      if (event.type === "phase-end") expectTypeOf(event.durationMs).toEqualTypeOf<number>();
      if (event.type === "failure") expectTypeOf(event.cleanup.failed).toBeArray();
      if (event.type === "result") expectTypeOf(event.result).toEqualTypeOf<ProvisionResult>();
    };
    expectTypeOf(handle).toBeFunction();
  });

  it("requires agentId and tailscale tags", () => {
    expectTypeOf<{ agentId: string }>().not.toMatchTypeOf<ProvisionOptions>();
    expectTypeOf<{
      agentId: string;
      tailscale: { tags: string[] };
    }>().toMatchTypeOf<ProvisionOptions>();
  });

  it("accepts credentials in place of clients", () => {
    expectTypeOf<{
      hetzner: { token: string };
      tailscale: { auth: { apiKey: string } };
    }>().toMatchTypeOf<ProvisionContext>();
  });

  it("takes a server id with its name as a deprovision target", () => {
    expectTypeOf<{ serverId: number; name: string }>().toMatchTypeOf<DeprovisionTarget>();
    expectTypeOf<{ serverId: number }>().toMatchTypeOf<DeprovisionTarget>();
    expectTypeOf<{ serverId: string }>().not.toMatchTypeOf<DeprovisionTarget>();
  });

  it("returns a provisioner whose calls match the plain functions, plus per-call hooks", () => {
    expectTypeOf(createProvisioner).returns.toEqualTypeOf<Provisioner>();
    expectTypeOf<Parameters<Provisioner["provisionVM"]>[0]>().toEqualTypeOf<ProvisionOptions>();
    expectTypeOf<{ outputs: Output[] }>().toMatchTypeOf<
      NonNullable<Parameters<Provisioner["provisionVM"]>[1]>
    >();
    expectTypeOf<
      ReturnType<Provisioner["provisionVM"]>
    >().resolves.toEqualTypeOf<ProvisionResult>();
  });

  it("hands outputs the run's signal", () => {
    expectTypeOf<Parameters<NonNullable<Output["success"]>>[2]>().toEqualTypeOf<
      AbortSignal | undefined
    >();
  });

  it("accepts undefined for every optional option (exactOptionalPropertyTypes)", () => {
    const fromEnvironment: string | undefined = process.env.TAILVM_SERVER_TYPE;
    const limit: number | undefined = undefined;
    const options: ProvisionOptions = {
      agentId: "agent-42",
      jobId: fromEnvironment,
      name: fromEnvironment,
      region: fromEnvironment,
      serverType: fromEnvironment,
      candidates: undefined,
      machine: { architecture: undefined, minCores: limit, maxMonthlyPrice: limit },
      image: fromEnvironment,
      sshKeys: undefined,
      labels: undefined,
      tailscale: {
        tags: ["tag:ci"],
        ephemeral: undefined,
        ssh: undefined,
        distribution: undefined,
      },
      cloudInit: undefined,
      ttl: fromEnvironment,
      timeouts: { total: limit, serverRunning: limit, deviceJoin: limit },
      signal: undefined,
    };
    expectTypeOf(options).toEqualTypeOf<ProvisionOptions>();
    expectTypeOf<ProvisionResult["price"]>().toEqualTypeOf<ServerPrice | null>();
  });
});
