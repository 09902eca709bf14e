import type { HetznerClient, ServerType } from "@tailvm/hetzner-client";
import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.js";
import { createServerTypeCatalog, SERVER_TYPES_TTL_MS } from "./server-type-catalog.js";

function manualClock(): Clock & { time: number } {
  return {
    time: 0,
    now() {
      return this.time;
    },
    sleep: () => new Promise(() => {}),
  };
}

/** A client whose `listServerTypes` answers when the test says so, counting the requests. */
function fakeClient() {
  const pending: { resolve: (types: ServerType[]) => void; reject: (error: Error) => void }[] = [];
  const hetzner = {
    listServerTypes: () =>
      new Promise<ServerType[]>((resolve, reject) => pending.push({ resolve, reject })),
  } as unknown as HetznerClient;
  return { hetzner, pending };
}

const types = [{ name: "cx23", locations: [] }] as unknown as ServerType[];
const never = new AbortController().signal;

describe("createServerTypeCatalog", () => {
  it("makes one request for concurrent callers and serves the answer until it is a minute old", async () => {
    const clock = manualClock();
    const { hetzner, pending } = fakeClient();
    const catalog = createServerTypeCatalog({ hetzner, clock });
    const calls = Array.from({ length: 50 }, () => catalog.list(never));
    expect(pending).toHaveLength(1);
    pending[0]?.resolve(types);
    for (const result of await Promise.all(calls)) expect(result).toBe(types);

    clock.time = SERVER_TYPES_TTL_MS - 1;
    await expect(catalog.list(never)).resolves.toBe(types);
    expect(pending).toHaveLength(1);

    clock.time = SERVER_TYPES_TTL_MS;
    const fresh = catalog.list(never);
    expect(pending).toHaveLength(2);
    pending[1]?.resolve([]);
    await expect(fresh).resolves.toEqual([]);
  });

  it("does not keep a failed answer", async () => {
    const { hetzner, pending } = fakeClient();
    const catalog = createServerTypeCatalog({ hetzner, clock: manualClock() });
    const first = catalog.list(never);
    pending[0]?.reject(new Error("503"));
    await expect(first).rejects.toThrow("503");
    const second = catalog.list(never);
    expect(pending).toHaveLength(2);
    pending[1]?.resolve(types);
    await expect(second).resolves.toBe(types);
  });

  it("lets one caller abort without failing the others", async () => {
    const { hetzner, pending } = fakeClient();
    const catalog = createServerTypeCatalog({ hetzner, clock: manualClock() });
    const controller = new AbortController();
    const aborted = catalog.list(controller.signal);
    const other = catalog.list(never);
    controller.abort(new Error("cancelled"));
    await expect(aborted).rejects.toThrow("cancelled");
    pending[0]?.resolve(types);
    await expect(other).resolves.toBe(types);
  });

  it("keeps a separate answer per catalog, even for one client", async () => {
    const clock = manualClock();
    const { hetzner, pending } = fakeClient();
    void createServerTypeCatalog({ hetzner, clock }).list(never);
    void createServerTypeCatalog({ hetzner, clock }).list(never);
    expect(pending).toHaveLength(2);
  });
});
