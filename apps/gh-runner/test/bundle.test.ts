import { readUserData } from "@tailvm/testing";
import { describe, expect, it } from "vitest";
import {
  againstSimulator,
  credentialValues,
  runPostStep,
  simulatorWithCallback,
} from "./action-runs.js";
import { runBundle, secretProblems, startBundle, waitFor } from "./harness.js";
import { apiEnv, leftovers, quickSimulator } from "./simulator.js";

describe.concurrent("the bundled action (node dist/index.js)", () => {
  it("provisions, writes outputs and summary, and sends a signed callback", async (context) => {
    const { sim, callback, withCallback } = await simulatorWithCallback(context);
    const run = await runBundle(
      withCallback({
        agent_id: "agent-success",
        job_id: "job-success-1",
        tailscale_tags: "tag:ci,tag:agent",
        timeout_minutes: "1",
      }),
    );

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [server, ...otherServers] = sim.state.servers();
    expect(otherServers).toEqual([]);
    if (!server) throw new Error("no server");
    const [device] = sim.state.devices();
    const tailscaleIp = device?.addresses.find((address) => address.startsWith("100."));
    expect(tailscaleIp).toBeDefined();
    expect(run.outputs).toEqual({
      server_id: String(server.id),
      server_name: server.name,
      server_ip: server.public_net.ipv4 ?? "",
      server_ipv6: server.public_net.ipv6 ?? "",
      tailscale_ip: tailscaleIp,
      tailscale_ipv6: device?.addresses.find((address) => address.includes(":")) ?? "",
      tailscale_hostname: server.name,
      tailscale_device_id: device?.nodeId,
      location: server.location,
      server_type: server.server_type,
      price_monthly: "3.4900",
      price_hourly: expect.stringMatching(/^0\.\d{4}$/),
      adopted: "false",
    });
    expect(server.labels).toMatchObject({ "managed-by": "tailvm" });
    expect(run.state.outcome).toBe("success");
    expect(run.state.server_id).toBe(String(server.id));

    expect(run.summary).toContain("## tailvm: agent VM ready");
    expect(run.summary).toContain(`| Tailnet IP | ${tailscaleIp} |`);
    expect(run.summary).toMatch(/\| device-join \| \d+(\.\d)? m?s \| ok \|/);

    // Every phase in its own group, with its duration.
    expect(run.stdout).toContain("::group::Wait for the device to join the tailnet");
    expect(run.stdout).toMatch(/done in \d+(\.\d)? m?s\n::endgroup::/);
    expect(run.stdout.match(/::group::/g)?.length).toBe(run.stdout.match(/::endgroup::/g)?.length);

    expect(callback.received).toHaveLength(1);
    const [delivery] = callback.received;
    expect(delivery?.verificationError).toBeUndefined();
    expect(delivery?.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(delivery?.payload).toMatchObject({
      type: "vm.provisioned",
      data: {
        version: 1,
        jobId: "job-success-1",
        agentId: "agent-success",
        serverId: server.id,
        serverName: server.name,
        serverIpv4: server.public_net.ipv4,
        tailscaleIp,
        tailscaleDeviceId: device?.nodeId,
        location: server.location,
        serverType: server.server_type,
        adopted: false,
        metadata: {},
      },
    });

    const authKey = readUserData(server.user_data ?? "").authKey;
    expect(authKey).toMatch(/^tskey-/);
    const secrets = { maskedFirst: credentialValues(sim), never: [authKey ?? ""] };
    expect(secretProblems(run.stdout, secrets)).toEqual([]);
    const allSecrets = [...secrets.maskedFirst, ...secrets.never];
    expect(secretProblems(run.stderr, { maskedFirst: [], never: allSecrets })).toEqual([]);
    expect(run.stdout).toContain(`::add-mask::${authKey}`);
    for (const secret of [...secrets.maskedFirst, ...secrets.never]) {
      expect(delivery?.body).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
      expect(run.outputText).not.toContain(secret);
    }
  });

  it("rolls back when the device never joins, and says so in the failure callback", async (context) => {
    const { sim, callback, withCallback } = await simulatorWithCallback(context);
    sim.faults.deviceNeverJoins();
    const run = await runBundle(
      withCallback({
        agent_id: "agent-never-joins",
        job_id: "job-never-joins",
        tailscale_tags: "tag:ci",
        timeout_minutes: "0.1",
      }),
    );

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::Provisioning failed in phase device-join/);
    expect(leftovers(sim)).toEqual({ servers: 0, devices: 0, validAuthKeys: 0 });
    // server_id was written as soon as the server existed.
    expect(run.outputs.server_id).toMatch(/^\d+$/);
    expect(run.state.outcome).toBe("rolled-back");
    expect(run.summary).toContain("## tailvm: provisioning failed");
    expect(run.summary).toContain("| Phase | device-join |");

    expect(callback.received).toHaveLength(1);
    const [delivery] = callback.received;
    expect(delivery?.verificationError).toBeUndefined();
    expect(delivery?.payload).toMatchObject({
      type: "vm.provision_failed",
      data: {
        jobId: "job-never-joins",
        agentId: "agent-never-joins",
        phase: "device-join",
        message: expect.any(String),
        serverId: Number(run.outputs.server_id),
      },
    });
    const secrets = { maskedFirst: credentialValues(sim), never: [] };
    expect(secretProblems(run.stdout, secrets)).toEqual([]);
    expect(secretProblems(run.stderr, { maskedFirst: [], never: secrets.maskedFirst })).toEqual([]);
    for (const secret of secrets.maskedFirst) expect(delivery?.body).not.toContain(secret);
  });

  it("names every missing and malformed input in one message and sends nothing", async (context) => {
    const sim = await quickSimulator(context);
    // Only the Hetzner token: the Tailscale credentials are missing.
    const run = await runBundle({
      inputs: {
        agent_id: "",
        tailscale_tags: "ci,tag:ok",
        region: "mars",
        server_type: "CX 22",
        callback_url: "http://example.com/hook",
        ttl: "forever",
        timeout_minutes: "0",
        hetzner_api_token: sim.credentials.hetznerToken,
      },
      env: apiEnv(sim),
    });

    expect(run.code).toBe(1);
    const errors = run.stdout.split("\n").filter((line) => line.startsWith("::error::"));
    expect(errors).toHaveLength(1);
    for (const input of [
      "agent_id",
      "tailscale_tags",
      "region",
      "server_type",
      "callback_url",
      "callback_secret",
      "ttl",
      "timeout_minutes",
      "tailscale_oauth_client_id",
      "tailscale_oauth_client_secret",
    ]) {
      expect(errors[0]).toContain(`${input}:`);
    }
    expect(errors[0]).not.toContain("hetzner_api_token:");
    expect(sim.state.requests()).toEqual([]);
    expect(run.state.outcome).toBe("invalid-inputs");
    expect(run.outputs).toEqual({});
    expect(
      secretProblems(run.stdout, { maskedFirst: [sim.credentials.hetznerToken], never: [] }),
    ).toEqual([]);
  });

  it("keeps the VM but fails the step when the callback cannot be delivered", async (context) => {
    const { sim, callback, withCallback } = await simulatorWithCallback(context, 400);
    const run = await runBundle(
      withCallback({
        agent_id: "agent-callback-fails",
        tailscale_tags: "tag:ci",
        timeout_minutes: "1",
      }),
    );

    expect(run.code).toBe(1);
    expect(callback.received).toHaveLength(1);
    expect(run.stdout).toMatch(
      /::error::The VM agent-.* was provisioned and is kept, but the callback failed/,
    );
    expect(run.stdout).toContain("HTTP 400");
    expect(leftovers(sim).servers).toBe(1);
    expect(run.outputs.tailscale_ip).toMatch(/^100\./);
    // The post step keeps it.
    expect(run.state.outcome).toBe("success");
  });

  it("rolls back on SIGTERM mid-wait and leaves nothing behind", async (context) => {
    const { sim, callback, withCallback } = await simulatorWithCallback(context);
    sim.faults.deviceNeverJoins();
    const running = startBundle(
      withCallback({ agent_id: "agent-sigterm", tailscale_tags: "tag:ci", timeout_minutes: "1" }),
    );
    await waitFor(
      () => running.stdout().includes("::group::Wait for the device to join the tailnet"),
      "the wait for the device",
    );
    expect(sim.state.servers()).toHaveLength(1);
    running.child.kill("SIGTERM");
    const run = await running.done;

    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Received SIGTERM");
    expect(leftovers(sim)).toEqual({ servers: 0, devices: 0, validAuthKeys: 0 });
    expect(callback.received.map((delivery) => delivery.payload?.type)).toEqual([
      "vm.provision_failed",
    ]);
    expect(run.state.outcome).toBe("rolled-back");
  });
});

describe.concurrent("the post step (node dist/post.js)", () => {
  it("deletes the server a killed main step left behind", async (context) => {
    const sim = await quickSimulator(context);
    sim.faults.deviceNeverJoins();
    const main = startBundle(
      againstSimulator(sim, {
        agent_id: "agent-killed",
        tailscale_tags: "tag:ci",
        timeout_minutes: "1",
      }),
    );
    await waitFor(() => sim.state.servers().length === 1, "the server to exist");
    await waitFor(() => main.stdout().includes("created server"), "the server_id state");
    main.child.kill("SIGKILL");
    const killed = await main.done;
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.state.outcome).toBeUndefined();

    const post = await runPostStep(sim, "agent-killed", killed.state);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain("did not finish");
    expect(leftovers(sim).servers).toBe(0);
    expect(leftovers(sim).devices).toBe(0);
  });

  it("keeps a VM that was provisioned successfully", async (context) => {
    const sim = await quickSimulator(context);
    const main = await runBundle(
      againstSimulator(sim, { agent_id: "agent-kept", tailscale_tags: "tag:ci" }),
    );
    expect(main.code).toBe(0);
    const requestsBefore = sim.state.requests().length;
    const post = await runPostStep(sim, "agent-kept", main.state);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain("Keeping server");
    expect(leftovers(sim).servers).toBe(1);
    expect(sim.state.requests().length).toBe(requestsBefore);
  });
});
