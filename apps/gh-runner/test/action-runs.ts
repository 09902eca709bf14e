import type { SimulatedCloudServer } from "@tailvm/testing";
import type { TestContext } from "vitest";
import type { SettingName } from "../src/settings.js";
import { type BundleOptions, runBundle, startReceiver } from "./harness.js";
import { apiEnv, credentialSettings, quickSimulator } from "./simulator.js";

/** The secret the callbacks of the bundle tests are signed with. */
export const CALLBACK_SECRET = "callback-secret-for-the-tests";

/**
 * A receiver that verifies the callbacks signed with {@link CALLBACK_SECRET} and answers `status`,
 * closed when the test finishes; `inputs` are the settings that send a run's callback to it.
 */
async function callbackReceiver(context: TestContext, status?: number) {
  const server = await startReceiver({
    secret: CALLBACK_SECRET,
    ...(status === undefined ? {} : { status }),
  });
  context.onTestFinished(() => server.close());
  const inputs = { callback_url: server.url, callback_secret: CALLBACK_SECRET };
  return { ...server, inputs };
}

/**
 * A quick simulator and a {@link callbackReceiver} answering `status`, both closed when the test
 * finishes; `withCallback(inputs)` are the bundle's options for a run against the simulator with
 * `inputs` that sends its callback to the receiver.
 */
export async function simulatorWithCallback(context: TestContext, status?: number) {
  const sim = await quickSimulator(context);
  const callback = await callbackReceiver(context, status);
  const withCallback = (inputs: Partial<Record<SettingName, string>>) =>
    againstSimulator(sim, { ...inputs, ...callback.inputs });
  return { sim, callback, withCallback };
}

/**
 * The bundle's options for a run against `sim`: the simulator's credentials as inputs beside
 * `inputs`, its APIs in the environment beside `env`.
 */
export function againstSimulator(
  sim: SimulatedCloudServer,
  inputs: Partial<Record<SettingName, string>>,
  options: Omit<BundleOptions, "inputs"> = {},
): BundleOptions {
  return {
    ...options,
    inputs: { ...credentialSettings(sim), ...inputs },
    env: { ...apiEnv(sim), ...options.env },
  };
}

/** Runs the post step for `agentId` with the state its main step saved. */
export function runPostStep(
  sim: SimulatedCloudServer,
  agentId: string,
  state: Record<string, string>,
) {
  const saved = Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]);
  return runBundle(
    againstSimulator(
      sim,
      { agent_id: agentId, tailscale_tags: "tag:ci" },
      { entry: "post", env: Object.fromEntries(saved) },
    ),
  );
}

/** The credentials a run is given, the callback secret among them: each must be masked first. */
export function credentialValues(sim: SimulatedCloudServer): string[] {
  return [...Object.values(credentialSettings(sim)), CALLBACK_SECRET];
}
