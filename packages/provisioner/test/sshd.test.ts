import { SSHD_TAILNET_PROGRAM_PATH } from "@tailvm/cloud-init";
import { describe, expect, it } from "vitest";
import { provisionVM } from "../src/one-shot.js";
import { plan } from "../src/plan.js";
import type { ProvisionOptions, SshdMode } from "../src/types.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/sshd.test.ts");
const options: ProvisionOptions = { agentId: "agent-42", tailscale: { tags: ["tag:ci"] } };

/** The runcmd lines of rendered user data, in order (argv entries are YAML flow lists). */
function runcmdOf(userData: string): string[] {
  const block = /^runcmd:\n((?: {2}- .*\n)+)/m.exec(userData)?.[1] ?? "";
  return block.split("\n").filter((line) => line !== "");
}

describe("sshd", () => {
  it("leaves sshd as the image has it by default", () => {
    const dryRun = plan(options);
    expect(dryRun.sshd).toBe("everywhere");
    expect(dryRun.cloudConfig).not.toContain("tailvm-sshd-tailnet");
    expect(dryRun.cloudConfig).not.toContain("ssh.socket");
  });

  it('plans "tailnet": the listen program runs after tailscale up, before the caller\'s commands', () => {
    const dryRun = plan({ ...options, sshd: "tailnet", cloudInit: [{ runcmd: ["echo mine"] }] });
    expect(dryRun.sshd).toBe("tailnet");
    const runcmd = runcmdOf(dryRun.cloudConfig);
    const up = runcmd.findIndex((line) => line.includes("tailscale") && line.includes("up"));
    const listen = runcmd.findIndex((line) => line.includes(SSHD_TAILNET_PROGRAM_PATH));
    const mine = runcmd.findIndex((line) => line.includes("echo mine"));
    expect(up).toBeGreaterThanOrEqual(0);
    expect(listen).toBeGreaterThan(up);
    expect(mine).toBeGreaterThan(listen);
    expect(dryRun.cloudConfig).toContain("net.ipv4.ip_nonlocal_bind = 1");
  });

  const cases: [SshdMode, ProvisionOptions["tailscale"], string][] = [
    ["tailnet", { tags: ["tag:ci"] }, SSHD_TAILNET_PROGRAM_PATH],
    ["off", { tags: ["tag:ci"], ssh: true }, "ssh.socket"],
  ];
  it.each(cases)(
    "provisions with sshd %s, and the VM still joins",
    async (sshd, tailscale, marker) => {
      const { sim, context } = simulatedContext(sink);
      const result = await provisionVM({ ...options, tailscale, sshd }, context);
      sink.record(result);
      expect(result.tailscaleIp).toMatch(/^100\./);
      const [server] = sim.state.servers();
      expect(server?.user_data).toContain(marker);
    },
  );
});
