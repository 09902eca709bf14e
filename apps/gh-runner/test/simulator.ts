import { type SimulatedCloudServer, startSimulatedCloudServer } from "@tailvm/testing";
import type { TestContext } from "vitest";
import { SETTINGS, type SettingName } from "../src/settings.js";

/**
 * The loopback simulator with a quick cloud (no boot, join or delete time; cloud time 100 times
 * faster than real time), closed when the test finishes: a whole run takes a fraction of a second.
 * `latencyMs` slows the answers to some requests down (in cloud time), by `"METHOD /path"`.
 */
export async function quickSimulator(
  context: TestContext,
  latencyMs?: Record<string, number>,
): Promise<SimulatedCloudServer> {
  const sim = await startSimulatedCloudServer({
    timeScale: 100,
    timings: {
      createActionMs: 0,
      bootMs: 0,
      joinMs: 0,
      deleteMs: 0,
      ...(latencyMs ? { latencyMs } : {}),
    },
  });
  context.onTestFinished(() => sim.close());
  return sim;
}

/** The settings that hold a run's credentials. */
type CredentialSetting = Extract<
  SettingName,
  "hetzner_api_token" | "tailscale_oauth_client_id" | "tailscale_oauth_client_secret"
>;

/** The simulator's credentials, as the settings of those names. */
export function credentialSettings(sim: SimulatedCloudServer): Record<CredentialSetting, string> {
  return {
    hetzner_api_token: sim.credentials.hetznerToken,
    tailscale_oauth_client_id: sim.credentials.tailscaleOAuthClientId,
    tailscale_oauth_client_secret: sim.credentials.tailscaleOAuthClientSecret,
  };
}

/** The environment variables that point a run at the simulator's APIs. */
export function apiEnv(sim: SimulatedCloudServer): Record<string, string> {
  return { HETZNER_API_URL: sim.hetznerUrl, TAILSCALE_API_URL: sim.tailscaleUrl };
}

/** The simulator's credentials and APIs, as the environment variables a run reads. */
export function simulatorEnv(sim: SimulatedCloudServer): Record<string, string> {
  const credentials = Object.entries(credentialSettings(sim)).map(([name, value]) => [
    SETTINGS[name as CredentialSetting].env,
    value,
  ]);
  return { ...Object.fromEntries(credentials), ...apiEnv(sim) };
}

/** What a run left in the simulated clouds. */
export function leftovers(sim: SimulatedCloudServer) {
  return {
    servers: sim.state.servers().length,
    devices: sim.state.devices().length,
    validAuthKeys: sim.state.validAuthKeys().length,
  };
}

/** Creates a tailvm-labelled server straight through the Hetzner API, as a crashed run leaves one. */
export async function createServerDirectly(
  sim: SimulatedCloudServer,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(`${sim.hetznerUrl}/servers`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${sim.credentials.hetznerToken}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      name,
      server_type: "cx23",
      image: "ubuntu-24.04",
      location: "nbg1",
      labels: { "managed-by": "tailvm", ...labels },
    }),
  });
  if (response.status !== 201) throw new Error(`creating ${name} answered ${response.status}`);
  const { server } = (await response.json()) as { server: { id: number } };
  return server.id;
}
