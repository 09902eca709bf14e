import { describe, expect, it } from "vitest";
import { ProvisionError } from "../src/errors.js";
import { provisionVM } from "../src/one-shot.js";
import {
  baseOptions,
  createPrivateNetwork,
  expectNothingLeft,
  failureOf,
  inputErrorFrom,
  inputErrorOf,
} from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/placement.test.ts");
const options = baseOptions;

describe("provisionVM: placement from the live catalog", () => {
  it("picks the cheapest current type of the region by default and reports its price", async () => {
    const { context } = simulatedContext(sink);
    const result = await provisionVM(options, context);
    sink.record(result);
    expect(result).toMatchObject({ serverType: "cx23", location: "nbg1" });
    expect(result.price).toEqual({
      currency: "EUR",
      vat: "excluded",
      hourly: expect.any(Number),
      monthly: 3.49,
    });
    expect(result.alternatives[0]).toMatchObject({ serverType: "cx23", location: "fsn1" });
    expect(result.alternatives[1]).toMatchObject({ serverType: "cx33", location: "nbg1" });
    const monthly = result.alternatives.map((candidate) => candidate.price?.monthly ?? 0);
    expect(monthly).toEqual([...monthly].sort((a, b) => a - b));
  });

  it("moves to the next cheapest location when a family is out of stock in one", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.setUnavailable("cx", "nbg1");
    const result = await provisionVM(options, context);
    sink.record(result);
    expect(result).toMatchObject({ serverType: "cx23", location: "fsn1" });
    expect(result.alternatives.some((candidate) => candidate.location === "nbg1")).toBe(true);
    expect(result.alternatives.some((candidate) => candidate.serverType.startsWith("cx"))).toBe(
      true,
    );
  });

  it("picks a cax type for arm", async () => {
    const { context } = simulatedContext(sink);
    const result = await provisionVM({ ...options, machine: { architecture: "arm" } }, context);
    sink.record(result);
    expect(result.serverType).toBe("cax11");
  });

  it("keeps to the price limit and the cpu kind", async () => {
    const { context } = simulatedContext(sink);
    const result = await provisionVM(
      { ...options, region: "us-east", machine: { minCores: 2, maxMonthlyPrice: 12 } },
      context,
    );
    sink.record(result);
    expect(result).toMatchObject({ serverType: "cpx22", location: "ash" });
    expect(result.price?.monthly).toBeLessThanOrEqual(12);
  });

  it("reads the job, the catalog, the image and the networks in one round trip, then mints the key", async () => {
    const { sim, context } = simulatedContext(sink, { timings: { latencyMs: 100 } });
    const network = await createPrivateNetwork(sim);
    const from = sim.state.requests().length;
    const startedAt = sim.clock.now();
    const result = await provisionVM(
      { ...options, jobId: "job-7", networks: [network], publicNet: { ipv4: false } },
      context,
    );
    sink.record(result);
    const sent = sim.state.requests().slice(from);
    const at = (method: string, path: string) =>
      sent.find((request) => request.method === method && request.path === path)?.time;
    const reads = ["/servers", "/server_types", "/images", `/networks/${network}`];
    expect(reads.map((path) => at("GET", path))).toEqual(reads.map(() => startedAt));
    // The key is minted once every input is known to be good: one round trip later.
    expect(at("POST", "/tailnet/-/keys")).toBeGreaterThanOrEqual(startedAt + 100);
  });

  it("refuses cx22 as input, listing current types, before any key is minted", async () => {
    const { sim, context } = simulatedContext(sink);
    const failures: unknown[] = [];
    const spy = { name: "spy", failure: (failure: unknown) => void failures.push(failure) };
    const error = await inputErrorOf(
      sink,
      provisionVM({ ...options, serverType: "cx22" }, { ...context, outputs: [spy] }),
    );
    expect(error).toMatchObject({ isRetryable: false, phase: "placement", code: "invalid_input" });
    // As in validation: loggers hear of it, outputs do not, since nothing was attempted.
    expect(failures).toEqual([]);
    expect(error.issues).toEqual([
      { field: "serverType", message: expect.stringMatching(/^cx22 is not in Hetzner's catalog/) },
    ]);
    expect(error.issues[0]?.message).toMatch(/current shared x86 types: cx23, cpx12, cx33, cpx22/);
    expect(sim.state.authKeys()).toEqual([]);
    expectNothingLeft(sim);
  });

  it("names a listed but retired type with its deprecation date", async () => {
    const { sim, error } = await inputErrorFrom(sink, {
      ...options,
      candidates: [{ serverType: "cpx11", location: "fsn1" }],
    });
    expect(error.issues[0]?.field).toBe("candidates[0].serverType");
    expect(error.issues[0]?.message).toMatch(/^cpx11 is no longer offered \(deprecated 2025-10-16/);
    expect(sim.state.authKeys()).toEqual([]);
  });

  it("reports an unknown type and an unknown image in one pass", async () => {
    const { sim, context, error } = await inputErrorFrom(sink, {
      ...options,
      serverType: "cx99",
      image: "ubuntu-99.04",
    });
    expect(error.issues.map((issue) => issue.field)).toEqual(["serverType"]);
    const imageOnly = await inputErrorOf(
      sink,
      provisionVM({ ...options, machine: { architecture: "arm" }, image: "ubuntu-99.04" }, context),
    );
    expect(imageOnly.issues).toEqual([
      {
        field: "image",
        message: expect.stringMatching(/^ubuntu-99\.04 is not an image Hetzner offers for arm/),
      },
    ]);
    expect(imageOnly.issues[0]?.message).toContain("ubuntu-24.04");
    expect(sim.state.authKeys()).toEqual([]);
  });

  it("says clearly when nothing in the region meets the requirement, naming the closest", async () => {
    const { sim, error } = await inputErrorFrom(sink, {
      ...options,
      machine: { minCores: 2, maxMonthlyPrice: 1 },
    });
    expect(error.issues[0]?.field).toBe("machine");
    expect(error.issues[0]?.message).toMatch(
      /^no current server type in nbg1, fsn1 meets shared x86, at least 2 vCPU and 4 GB, at most €1\/month net; the closest offers: cx23 \(2 vCPU, 4 GB, 40 GB, €3\.49\/month in nbg1\)/,
    );
    expect(sim.state.authKeys()).toEqual([]);
  });

  it("fails as retryable, not as input, when every match is only out of stock", async () => {
    const { sim, context } = simulatedContext(sink);
    for (const location of ["nbg1", "fsn1"]) sim.faults.setUnavailable("cax", location);
    const error = await failureOf(
      sink,
      provisionVM({ ...options, machine: { architecture: "arm" } }, context),
    );
    expect(error).toMatchObject({
      phase: "placement",
      code: "resource_unavailable",
      isRetryable: true,
    });
    expect(error.message).toContain("out of stock");
  });
});

describe("provisioner errors as a user reads them", () => {
  it("ends a refused Hetzner token with which token it was, without a placement hint", async () => {
    const { context } = simulatedContext(sink);
    const error = await failureOf(
      sink,
      provisionVM(options, { ...context, hetzner: { ...context.hetzner, token: "wrong-token" } }),
    );
    expect(error).toMatchObject({ phase: "placement", isRetryable: false });
    expect(error.message).toMatch(/context\.hetzner\.token\)\.$/);
    expect(error.message).not.toContain("Add candidates");
  });

  it("keeps name, message, code and phase through JSON.stringify", async () => {
    const { error: input } = await inputErrorFrom(sink, { ...options, serverType: "cx22" });
    expect(JSON.parse(JSON.stringify(input))).toMatchObject({
      name: "ProvisionInputError",
      message: input.message,
      code: "invalid_input",
      phase: "placement",
      isRetryable: false,
    });
    const run = new ProvisionError("it failed", {
      phase: "create-server",
      code: "timeout",
      cause: new Error("socket hang up"),
    });
    expect(JSON.parse(JSON.stringify(run))).toEqual({
      name: "ProvisionError",
      message: "it failed",
      code: "timeout",
      phase: "create-server",
      isRetryable: false,
      cause: { name: "Error", message: "socket hang up" },
    });
  });
});
