import type { SimulatedCloud } from "@tailvm/testing";
import { expect } from "vitest";
import type { ProvisionContext } from "../../src/context.js";
import { ProvisionError, ProvisionInputError } from "../../src/errors.js";
import { provisionVM } from "../../src/one-shot.js";
import type { CleanupReport, Phase, ProvisionEvent, ProvisionOptions } from "../../src/types.js";
import type { createSecretSink } from "./secret-sink.js";
import { simulatedContext } from "./simulated-context.js";

/** The options most provisioning tests start from. */
export const baseOptions: ProvisionOptions = {
  agentId: "agent-42",
  tailscale: { tags: ["tag:ci"] },
  ttl: "2h",
};

/** Every event the context's `onEvent` sees from now on, in order. */
export function recordEvents(context: { onEvent?: (event: ProvisionEvent) => void }) {
  const events: ProvisionEvent[] = [];
  const previous = context.onEvent;
  context.onEvent = (event) => {
    events.push(event);
    previous?.(event);
  };
  return events;
}

/** What `promise` rejects with, recorded in `sink` and checked to be a `type`; fails if it resolves. */
async function rejectionOf<T>(
  sink: ReturnType<typeof createSecretSink>,
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  const error = await promise.then(
    () => {
      throw new Error("expected provisionVM to fail");
    },
    (caught: unknown) => caught,
  );
  sink.recordError(error);
  expect(error).toBeInstanceOf(type);
  return error as T;
}

/** The `ProvisionError` that `promise` rejects with, recorded in `sink`; fails if it resolves. */
export function failureOf(
  sink: ReturnType<typeof createSecretSink>,
  promise: Promise<unknown>,
): Promise<ProvisionError> {
  return rejectionOf(sink, promise, ProvisionError);
}

/** The `ProvisionInputError` that `promise` rejects with, recorded in `sink`; fails if it resolves. */
export function inputErrorOf(
  sink: ReturnType<typeof createSecretSink>,
  promise: Promise<unknown>,
): Promise<ProvisionInputError> {
  return rejectionOf(sink, promise, ProvisionInputError);
}

/**
 * Provisions `options` against a fresh simulated cloud: the `ProvisionInputError` it rejects with
 * (failing if it resolves), and the cloud and context it ran against.
 */
export async function inputErrorFrom(
  sink: ReturnType<typeof createSecretSink>,
  options: ProvisionOptions,
): Promise<{ sim: SimulatedCloud; context: ProvisionContext; error: ProvisionInputError }> {
  const { sim, context } = simulatedContext(sink);
  return { sim, context, error: await inputErrorOf(sink, provisionVM(options, context)) };
}

export function isServerCreateEntry(entry: { method: string; path: string }) {
  return entry.method === "POST" && entry.path === "/servers";
}

export const isServerCreate = (request: Request) =>
  request.method === "POST" && new URL(request.url).pathname.endsWith("/servers");
export const isKeyMint = (request: Request) =>
  request.method === "POST" && new URL(request.url).pathname.endsWith("/keys");

/** Deletes a server straight through the Hetzner API, as a crashed or outside run would. */
export async function deleteServerDirectly(sim: SimulatedCloud, serverId: number) {
  await sim.fetch(`${sim.hetznerUrl}/servers/${serverId}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` },
  });
}

/** Nothing the run created is left: no server, no usable key, no device. */
export function expectNothingLeft(sim: SimulatedCloud) {
  expect(sim.state.servers()).toEqual([]);
  expect(sim.state.validAuthKeys()).toEqual([]);
  expect(sim.state.devices()).toEqual([]);
}

/** The resources a cleanup removed, by kind, sorted. */
export function removedResources(cleanup: CleanupReport): string[] {
  return cleanup.removed.map((item) => item.resource).sort();
}

/**
 * Provisions with `options` while the device never joins: checks that the run fails in device-join
 * on a timeout and leaves nothing behind, and returns the error.
 */
export async function deviceJoinTimeoutOf(
  sink: ReturnType<typeof createSecretSink>,
  sim: SimulatedCloud,
  context: ProvisionContext,
  options: ProvisionOptions,
): Promise<ProvisionError> {
  sim.faults.deviceNeverJoins();
  const error = await failureOf(sink, provisionVM(options, context));
  expect(error).toMatchObject({ phase: "device-join", code: "timeout" });
  expectNothingLeft(sim);
  return error;
}

/** Aborts `controller` `afterMs` of simulated time after `phase` starts. */
export function abortDuring(
  sim: SimulatedCloud,
  context: { onEvent?: (event: ProvisionEvent) => void },
  phase: Phase,
  controller: AbortController,
  afterMs = 1_000,
) {
  const onEvent = context.onEvent;
  context.onEvent = (event) => {
    if (event.type === "phase-start" && event.phase === phase) {
      sim.clock.sleep(afterMs).then(() => controller.abort(new Error("job cancelled")));
    }
    onEvent?.(event);
  };
}

/** One request to the simulated Hetzner API with the simulator's token, its JSON body answered. */
export async function hetznerRequest(
  sim: SimulatedCloud,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON from the simulator
): Promise<any> {
  const response = await sim.fetch(`${sim.hetznerUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${sim.credentials.hetznerToken}`,
      "content-type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.status === 204 ? {} : await response.json();
}

/** Creates a private network (10.0.0.0/16) in the simulated project and returns its id. */
export async function createPrivateNetwork(sim: SimulatedCloud): Promise<number> {
  const { network } = await hetznerRequest(sim, "POST", "/networks", {
    name: "private",
    ip_range: "10.0.0.0/16",
  });
  return network.id;
}
