import { describe, expect, it } from "vitest";
import { ProvisionInputError } from "../src/errors.js";
import { plan } from "../src/plan.js";
import { createProvisioner } from "../src/provisioner.js";
import type { Phase, ProvisionEvent, ProvisionOptions } from "../src/types.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/plan.test.ts");

describe("plan", () => {
  it("shows placement, name, labels and the cloud-config with the key hidden, sending nothing", async () => {
    const calls: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request) => {
      calls.push(String(input));
      throw new Error("plan must not send requests");
    }) as typeof fetch;
    try {
      const now = Date.UTC(2026, 10, 29, 12);
      const result = plan(
        {
          agentId: "agent-42",
          jobId: "job-1",
          region: "eu-central",
          tailscale: { tags: ["tag:ci"], ssh: true },
          ttl: "1d",
          cloudInit: [{ packages: ["jq"] }],
        },
        { now },
      );
      sink.record(result);
      expect(result.name).toBe(`agent-agent-42-${now.toString(36)}`);
      expect(result.candidates).toEqual([]);
      expect(result.locations).toEqual(["nbg1", "fsn1"]);
      expect(result.machine).toMatchObject({ architecture: "x86", cpu: "shared", minCores: 2 });
      expect(result.machine).toMatchObject({ minMemoryGb: 4, maxMonthlyPrice: null });
      expect(result.checkedAtRunTime.join(" ")).toContain("GET /server_types");
      expect(result.labels).toMatchObject({ "managed-by": "tailvm", "tailvm/job-id": "job-1" });
      expect(result.expiresAt).toBe("2026-11-30T12:00:00.000Z");
      expect(result.authKey).toEqual({
        tags: ["tag:ci"],
        ephemeral: true,
        preauthorized: true,
        reusable: false,
        expirySeconds: 720,
      });
      expect(result.cloudConfig.startsWith("#cloud-config\n")).toBe(true);
      expect(result.cloudConfig).toContain("--hostname=agent-agent-42-");
      expect(result.cloudConfig).toContain("--ssh");
      expect(result.cloudConfig).toContain("jq");
      expect(result.cloudConfig).toContain("***");
      expect(result.cloudConfig).not.toMatch(/tskey-/);
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toEqual([]);
  });

  it("shows explicit candidates instead of a machine requirement when a server type is given", () => {
    const result = plan({
      agentId: "agent-42",
      serverType: "cpx22",
      region: "us-east",
      tailscale: { tags: ["tag:ci"] },
    });
    sink.record(result);
    expect(result.candidates).toEqual([{ serverType: "cpx22", location: "ash" }]);
    expect(result.machine).toBeNull();
  });

  it("shows the firewall and the public addresses a run creates", () => {
    const base = { agentId: "agent-42", tailscale: { tags: ["tag:ci"] } };
    const closed = plan(base);
    expect(closed.firewall).toEqual({ kind: "managed", name: "tailvm-tailnet-only", inbound: [] });
    expect(closed.publicNet).toEqual({ ipv4: true, ipv6: true, networks: [] });
    expect(plan({ ...base, publicAccess: { ssh: true } }).firewall).toEqual({
      kind: "managed",
      name: "tailvm-public-ssh",
      inbound: ["tcp/22"],
    });
    const own = plan({
      ...base,
      firewalls: [7],
      publicNet: { ipv4: false, ipv6: false },
      networks: [9],
    });
    expect(own.firewall).toEqual({ kind: "user", ids: [7] });
    expect(own.publicNet).toEqual({ ipv4: false, ipv6: false, networks: [9] });
  });

  it("installs Tailscale from the repository of the image's family", () => {
    const source = (options: { image?: string; distribution?: "ubuntu" | "debian" }) => {
      const result = plan({
        agentId: "agent-42",
        ...(options.image === undefined ? {} : { image: options.image }),
        tailscale: {
          tags: ["tag:ci"],
          ...(options.distribution === undefined ? {} : { distribution: options.distribution }),
        },
      });
      sink.record(result);
      return /https:\/\/pkgs\.tailscale\.com\/stable\/(\w+)/.exec(result.cloudConfig)?.[1];
    };
    expect(source({})).toBe("ubuntu");
    expect(source({ image: "debian-12" })).toBe("debian");
    expect(source({ image: "ubuntu-22.04" })).toBe("ubuntu");
    expect(source({ image: "184950123" })).toBe("ubuntu");
    expect(source({ image: "184950123", distribution: "debian" })).toBe("debian");
  });

  it("throws the same input error provisionVM would", () => {
    expect(() =>
      plan({ agentId: "a", region: "nowhere", tailscale: { tags: ["tag:ci"] } }),
    ).toThrow(ProvisionInputError);
  });

  it("agrees with the run: the phases it emits, the auth key and the cloud-config it sends", async () => {
    const { sim, context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    const input: ProvisionOptions = {
      agentId: "agent-42",
      jobId: "job-plan",
      tailscale: { tags: ["tag:ci"], ssh: true },
      ttl: "2h",
      cloudInit: [{ packages: ["jq"] }],
    };
    const dryRun = provisioner.plan(input);
    sink.record(dryRun);
    const phases: Phase[] = [];
    const secrets: string[] = [];
    const result = await provisioner.provisionVM(input, {
      onEvent: (event: ProvisionEvent) => {
        if (event.type === "phase-end") phases.push(event.phase);
        sink.onEvent(event);
      },
      onSecret: (value) => {
        secrets.push(value);
        sink.addSecret(value);
      },
    });

    expect(phases).toEqual(dryRun.phases);
    expect(dryRun.steps.map((step) => step.phase)).toEqual(dryRun.phases.slice(1));
    const [key] = sim.state.authKeys();
    expect({
      tags: key?.tags,
      ephemeral: key?.ephemeral,
      preauthorized: key?.preauthorized,
      reusable: key?.reusable,
      expirySeconds: ((key?.expires ?? 0) - (key?.created ?? 0)) / 1000,
    }).toEqual(dryRun.authKey);
    const [server] = sim.state.servers();
    const authKey = secrets.find((value) => value.startsWith("tskey-auth-")) ?? "";
    expect(authKey).not.toBe("");
    // The key is a plain YAML scalar; the preview's "***" needs quotes. Nothing else differs.
    expect(server?.user_data?.replaceAll(authKey, '"***"')).toBe(dryRun.cloudConfig);
    expect(server).toMatchObject({ name: dryRun.name, image: dryRun.image, labels: dryRun.labels });
    expect(dryRun.candidates).toEqual([]);
    expect(dryRun.locations).toContain(result.location);
    expect(sim.state.requests().find((request) => request.path === "/server_types")).toBeDefined();
  });
});
