import {
  BOOT_REPORT_SETTINGS_PATH,
  bootReport,
  mergeCloudConfig,
  render,
  secret,
  tailscale,
} from "@tailvm/cloud-init";
import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { apiOf } from "../test/helpers.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";
import { readUserData } from "./read-user-data.js";

const REPORT_URL = "https://ci.example.com/boot-reports";
const TOKEN = "run-token-0123456789";

function userData(options: { authKey: string; keyFingerprint?: string; report?: boolean }) {
  const parts = [
    tailscale({
      authKey: secret(options.authKey),
      hostname: "runner-1",
      tags: ["tag:ci"],
      distribution: "debian",
      ...(options.keyFingerprint ? { keyFingerprint: options.keyFingerprint } : {}),
    }),
  ];
  if (options.report !== false) parts.unshift(bootReport({ url: REPORT_URL, token: TOKEN }));
  return render(mergeCloudConfig(...parts));
}

/** A simulator whose VMs deliver their boot reports into `received`. */
function simulatorWithInbox() {
  const clock = createVirtualClock({ autoAdvance: false });
  const received: { url: string; authorization: string | null; body: unknown }[] = [];
  const sim = createSimulatedCloud({
    clock,
    bootReportFetch: async (request) => {
      received.push({
        url: request.url,
        authorization: request.headers.get("authorization"),
        body: await request.json(),
      });
      return new Response(null, { status: 202 });
    },
  });
  return { sim, clock, received, api: apiOf(sim) };
}

async function bootOne(
  setup: ReturnType<typeof simulatorWithInbox>,
  data: (key: string) => string,
) {
  const key = await setup.api.createKey({ tags: ["tag:ci"] });
  await setup.api.createServer({
    name: "runner-1",
    image: "debian-12",
    user_data: data(key.json.key),
  });
  await setup.clock.advance(40_000);
  setup.sim.state.servers();
  // The delivery is sent without blocking the request that booted the server.
  await new Promise((resolve) => setImmediate(resolve));
  return key.json.key as string;
}

describe("the simulated VM's boot report", () => {
  it("reads the settings bootReport() writes, at the path @tailvm/cloud-init documents", () => {
    const plan = readUserData(userData({ authKey: "tskey-auth-x" }), { image: "debian-12" });
    expect(plan.bootReport).toEqual({ url: REPORT_URL, token: TOKEN });
    expect(render(bootReport({ url: REPORT_URL, token: TOKEN }))).toContain(
      BOOT_REPORT_SETTINGS_PATH,
    );
    const without = readUserData(userData({ authKey: "tskey-auth-x", report: false }));
    expect(without.bootReport).toBeUndefined();
  });

  it("sends done with the run's bearer token when the boot goes well", async () => {
    const setup = simulatorWithInbox();
    await bootOne(setup, (key) => userData({ authKey: key }));
    expect(setup.received).toEqual([
      {
        url: REPORT_URL,
        authorization: `Bearer ${TOKEN}`,
        body: expect.objectContaining({
          version: 1,
          result: "done",
          hostname: "runner-1",
          failed: null,
          errors: [],
        }),
      },
    ]);
  });

  it("names bootcmd when the keyring download is refused, before apt or tailscale up run", async () => {
    const setup = simulatorWithInbox();
    const pinned = "0123456789ABCDEF0123456789ABCDEF01234567";
    await bootOne(setup, (key) => userData({ authKey: key, keyFingerprint: pinned }));
    expect(setup.received[0]?.body).toMatchObject({
      result: "error",
      failed: {
        stage: "init",
        module: "bootcmd",
        error: expect.stringContaining(`not the pinned ${pinned}`),
      },
    });
  });

  it("names scripts-user when tailscale up fails on a revoked key", async () => {
    const setup = simulatorWithInbox();
    const key = await setup.api.createKey({ tags: ["tag:ci"] });
    const keys = await setup.api.tailscale("GET", "/tailnet/-/keys");
    const id = keys.json.keys.find((item: { id: string }) => item.id === key.json.id)?.id;
    await setup.api.tailscale("DELETE", `/tailnet/-/keys/${id}`);
    await setup.api.createServer({
      name: "runner-1",
      image: "debian-12",
      user_data: userData({ authKey: key.json.key }),
    });
    await setup.clock.advance(40_000);
    setup.sim.state.servers();
    await new Promise((resolve) => setImmediate(resolve));
    expect(setup.received[0]?.body).toMatchObject({
      result: "error",
      failed: {
        stage: "modules-final",
        module: "scripts-user",
        error: expect.stringContaining("revoked"),
      },
    });
  });

  it("sends nothing when the user data asks for no report", async () => {
    const setup = simulatorWithInbox();
    await bootOne(setup, (key) => userData({ authKey: key, report: false }));
    expect(setup.received).toEqual([]);
  });
});
