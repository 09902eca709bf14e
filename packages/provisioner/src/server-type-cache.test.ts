import type { HetznerClient, ServerType } from "@tailvm/hetzner-client";
import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.js";
import { listServerTypesShared, SERVER_TYPES_TTL_MS } from "./server-type-cache.js";

function manualClock(): Clock & { time: number } {
  return {
    time: 0,
    now() {
      return this.time;
    },
    sleep: async () => {},
  };
}

/** A client whose `listServerTypes` answers when the test says so, counting the requests. */
function fakeClient() {
  const pending: { resolve: (types: ServerType[]) => void; reject: (error: Error) => void }[] = [];
  const client = {
    listServerTypes: () =>
      new Promise<ServerType[]>((resolve, reject) => pending.push({ resolve, reject })),
  } as unknown as HetznerClient;
  return { client, pending };
}

const types = [{ name: "cx23", locations: [] }] as unknown as ServerType[];
const never = new AbortController().signal;

describe("listServerTypesShared", () => {
  it("makes one request for concurrent callers and serves the answer until it is a minute old", async () => {
    const clock = manualClock();
    const { client, pending } = fakeClient();
    const calls = Array.from({ length: 50 }, () => listServerTypesShared(client, clock, never));
    expect(pending).toHaveLength(1);
    pending[0]?.resolve(types);
    for (const result of await Promise.all(calls)) expect(result).toBe(types);

    clock.time = SERVER_TYPES_TTL_MS - 1;
    await expect(listServerTypesShared(client, clock, never)).resolves.toBe(types);
    expect(pending).toHaveLength(1);

    clock.time = SERVER_TYPES_TTL_MS;
    const fresh = listServerTypesShared(client, clock, never);
    expect(pending).toHaveLength(2);
    pending[1]?.resolve([]);
    await expect(fresh).resolves.toEqual([]);
  });

  it("does not keep a failed answer", async () => {
    const clock = manualClock();
    const { client, pending } = fakeClient();
    const first = listServerTypesShared(client, clock, never);
    pending[0]?.reject(new Error("503"));
    await expect(first).rejects.toThrow("503");
    const second = listServerTypesShared(client, clock, never);
    expect(pending).toHaveLength(2);
    pending[1]?.resolve(types);
    await expect(second).resolves.toBe(types);
  });

  it("lets one caller abort without failing the others", async () => {
    const clock = manualClock();
    const { client, pending } = fakeClient();
    const controller = new AbortController();
    const aborted = listServerTypesShared(client, clock, controller.signal);
    const other = listServerTypesShared(client, clock, never);
    controller.abort(new Error("cancelled"));
    await expect(aborted).rejects.toThrow("cancelled");
    pending[0]?.resolve(types);
    await expect(other).resolves.toBe(types);
  });

  it("keeps a separate answer per client", async () => {
    const clock = manualClock();
    const first = fakeClient();
    const second = fakeClient();
    void listServerTypesShared(first.client, clock, never);
    void listServerTypesShared(second.client, clock, never);
    expect(first.pending).toHaveLength(1);
    expect(second.pending).toHaveLength(1);
  });
});
