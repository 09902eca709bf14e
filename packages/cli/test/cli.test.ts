import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { flagOf, SETTINGS, settingsOf } from "@tailvm/gh-runner";
import { leftovers, quickSimulator, runBundle } from "@tailvm/gh-runner/test";
import { describe, expect, it } from "vitest";
import { simulatorSettings } from "../src/sim-command.js";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "tailvm.js");

const simulator = quickSimulator;

/** The settings that reach `sim`, under the names the CLI reads (what `tailvm sim` prints). */
const connection = simulatorSettings;

describe.concurrent("tailvm in a workflow run: step (GITHUB_ACTIONS=true)", () => {
  it("provisions from its environment, writes GITHUB_OUTPUT, then deprovisions, leaving nothing", async (context) => {
    const sim = await simulator(context);
    const env = {
      ...connection(sim),
      TAILVM_AGENT_ID: "agent-run-step",
      TAILVM_JOB_ID: "job-run-step",
      TAILVM_TAILSCALE_TAGS: "tag:ci",
      TAILVM_TIMEOUT_MINUTES: "1",
    };
    const provisioned = await runBundle({ script: cli, args: ["provision"], env });
    expect(provisioned.stderr).not.toContain("error:");
    expect(provisioned.code).toBe(0);
    const [server] = sim.state.servers();
    expect(provisioned.outputs).toMatchObject({
      server_id: String(server?.id),
      server_name: server?.name,
      tailscale_ip: expect.stringMatching(/^100\./),
      adopted: "false",
    });
    expect(provisioned.summary).toContain("## tailvm: agent VM ready");
    expect(provisioned.stdout).toMatch(/^VM ready:\n/);
    // A run: step's log is plain: no workflow commands, no secret.
    expect(`${provisioned.stdout}${provisioned.stderr}`).not.toMatch(/^::/m);
    for (const secret of Object.values(connection(sim)).slice(2)) {
      expect(`${provisioned.stdout}${provisioned.stderr}`).not.toContain(secret);
    }

    const deprovisioned = await runBundle({
      script: cli,
      args: ["deprovision", "--json"],
      env: { ...env, TAILVM_AGENT_ID: "" },
    });
    expect(deprovisioned.code).toBe(0);
    expect(leftovers(sim)).toEqual({ servers: 0, devices: 0, validAuthKeys: 0 });
    expect(JSON.parse(deprovisioned.stdout)).toMatchObject({
      mode: "deprovision",
      status: "success",
      cleanup: {
        removed: expect.arrayContaining([{ resource: "server", id: String(server?.id) }]),
      },
    });
    expect(deprovisioned.outputs.removed).toContain(String(server?.id));
  });

  it("lets a flag win over its environment variable", async (context) => {
    const sim = await simulator(context);
    const run = await runBundle({
      script: cli,
      args: ["provision", "--agent-id", "agent-flag", "--region", "fsn1", "--json"],
      env: {
        ...connection(sim),
        TAILVM_AGENT_ID: "agent-env",
        TAILVM_REGION: "eu-central",
        TAILVM_TAILSCALE_TAGS: "tag:ci",
      },
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { result: { agentId: string; location: string } };
    expect(result.result.agentId).toBe("agent-flag");
    expect(result.result.location).toBe("fsn1");
  });

  it("names every bad setting by flag and variable, exits 2 and sends nothing", async (context) => {
    const sim = await simulator(context);
    const run = await runBundle({
      script: cli,
      args: ["provision", "--region", "mars", "--tailscale-ssh"],
      env: { [SETTINGS.hetzner_api_url.env]: sim.hetznerUrl, TAILVM_TTL: "forever" },
    });
    expect(run.code).toBe(2);
    for (const name of [
      "agent_id",
      "tailscale_tags",
      "region",
      "ttl",
      "hetzner_api_token",
    ] as const) {
      expect(run.stderr).toContain(`--${name.replaceAll("_", "-")} (${SETTINGS[name].env}): `);
    }
    expect(sim.state.requests()).toEqual([]);

    const nothing = await runBundle({ script: cli, args: ["deprovision"], env: connection(sim) });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("deprovision needs the VM to delete");
    const unknown = await runBundle({ script: cli, args: ["reap", "--agent-id", "x"], env: {} });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--agent-id'");
    expect(sim.state.requests()).toEqual([]);
  });

  it("plans without credentials or requests", async () => {
    const run = await runBundle({
      script: cli,
      args: [
        "plan",
        "--agent-id",
        "agent-plan",
        "--tailscale-tags",
        "tag:ci",
        "--ttl",
        "2h",
        "--json",
      ],
      env: {},
    });
    expect(run.code).toBe(0);
    const { plan } = JSON.parse(run.stdout) as { plan: { name: string; cloudConfig: string } };
    expect(plan.name).toMatch(/^agent-agent-pl-/);
    expect(plan.cloudConfig).toMatch(/^#cloud-config/);
  });
});

describe("tailvm sim", () => {
  it("prints the settings the CLI reads, and a provision with exactly those reaches it", async (context) => {
    const child = spawn(process.execPath, [cli, "sim", "--time-scale", "1000"], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    context.onTestFinished(() => {
      child.kill("SIGKILL");
    });
    let printed = "";
    child.stdout.setEncoding("utf8");
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        printed += chunk;
        if (printed.includes("Ctrl-C")) resolve();
      });
      child.on("error", reject);
    });
    const settings = Object.fromEntries(
      printed
        .split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    expect(Object.keys(settings).sort()).toEqual(
      [
        SETTINGS.hetzner_api_url.env,
        SETTINGS.tailscale_api_url.env,
        SETTINGS.hetzner_api_token.env,
        SETTINGS.tailscale_oauth_client_id.env,
        SETTINGS.tailscale_oauth_client_secret.env,
      ].sort(),
    );
    const run = await runBundle({
      script: cli,
      args: ["provision", "--agent-id", "agent-sim", "--tailscale-tags", "tag:ci", "--json"],
      env: settings,
    });
    expect(run.code).toBe(0);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

describe("the bundle", () => {
  it("loads the simulator only for sim: the other commands start without it", () => {
    const entry = readFileSync(cli, "utf8");
    const staticImports = [...entry.matchAll(/from"(\.\/chunks\/[^"]+)"/g)].map(
      (match) => match[1],
    );
    const dynamicImports = [...entry.matchAll(/import\("(\.\/chunks\/[^"]+)"\)/g)].map(
      (match) => match[1],
    );
    expect(dynamicImports).toHaveLength(1);
    expect(staticImports).not.toContain(dynamicImports[0]);
    const simChunk = readFileSync(join(dirname(cli), dynamicImports[0] ?? ""), "utf8");
    expect(simChunk).toContain("startSimulatedCloudServer");
    expect(entry).not.toContain("msw");
  });
});

describe("tailvm --help", () => {
  it("lists every flag of each command with its environment variable, from the settings table", async () => {
    for (const mode of ["provision", "deprovision", "reap", "plan"] as const) {
      const help = await runBundle({ script: cli, args: [mode, "--help"], env: {} });
      expect(help.code).toBe(0);
      for (const [name, setting] of settingsOf(mode)) {
        expect(help.stdout).toContain(`${flagOf(name)}`);
        expect(help.stdout).toContain(`env ${setting.env}`);
      }
    }
    const main = await runBundle({ script: cli, args: ["--help"], env: {} });
    for (const command of ["provision", "deprovision", "reap", "plan", "sim"]) {
      expect(main.stdout).toContain(`  ${command} `);
    }
  });
});
