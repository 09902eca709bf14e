import type { HetznerClient, Image, ServerType } from "@tailvm/hetzner-client";
import { describe, expect, it } from "vitest";
import { createCatalog, IMAGES_TTL_MS, SERVER_TYPES_TTL_MS } from "./catalog.js";
import type { Clock } from "./clock.js";

function manualClock(): Clock & { time: number } {
  return {
    time: 0,
    now() {
      return this.time;
    },
    sleep: () => new Promise(() => {}),
  };
}

/** A client whose `listServerTypes` and `listImages` answer when the test says so, counting the requests. */
function fakeClient() {
  const pending: { resolve: (types: ServerType[]) => void; reject: (error: Error) => void }[] = [];
  const imageLookups: { name: string | undefined; resolve: (images: Image[]) => void }[] = [];
  const hetzner = {
    listServerTypes: () =>
      new Promise<ServerType[]>((resolve, reject) => pending.push({ resolve, reject })),
    listImages: (options: { name?: string }) =>
      new Promise<Image[]>((resolve) => imageLookups.push({ name: options.name, resolve })),
  } as unknown as HetznerClient;
  return { hetzner, pending, imageLookups };
}

const types = [{ name: "cx23", locations: [] }] as unknown as ServerType[];
const never = new AbortController().signal;

describe("createCatalog", () => {
  it("makes one request for concurrent callers and serves the answer until it is a minute old", async () => {
    const clock = manualClock();
    const { hetzner, pending } = fakeClient();
    const catalog = createCatalog({ hetzner, clock });
    const calls = Array.from({ length: 50 }, () => catalog.serverTypes(never));
    expect(pending).toHaveLength(1);
    pending[0]?.resolve(types);
    for (const result of await Promise.all(calls)) expect(result).toBe(types);

    clock.time = SERVER_TYPES_TTL_MS - 1;
    await expect(catalog.serverTypes(never)).resolves.toBe(types);
    expect(pending).toHaveLength(1);

    clock.time = SERVER_TYPES_TTL_MS;
    const fresh = catalog.serverTypes(never);
    expect(pending).toHaveLength(2);
    pending[1]?.resolve([]);
    await expect(fresh).resolves.toEqual([]);
  });

  it("does not keep a failed answer", async () => {
    const { hetzner, pending } = fakeClient();
    const catalog = createCatalog({ hetzner, clock: manualClock() });
    const first = catalog.serverTypes(never);
    pending[0]?.reject(new Error("503"));
    await expect(first).rejects.toThrow("503");
    const second = catalog.serverTypes(never);
    expect(pending).toHaveLength(2);
    pending[1]?.resolve(types);
    await expect(second).resolves.toBe(types);
  });

  it("lets one caller abort without failing the others", async () => {
    const { hetzner, pending } = fakeClient();
    const catalog = createCatalog({ hetzner, clock: manualClock() });
    const controller = new AbortController();
    const aborted = catalog.serverTypes(controller.signal);
    const other = catalog.serverTypes(never);
    controller.abort(new Error("cancelled"));
    await expect(aborted).rejects.toThrow("cancelled");
    pending[0]?.resolve(types);
    await expect(other).resolves.toBe(types);
  });

  it("keeps a separate answer per catalog, even for one client", async () => {
    const clock = manualClock();
    const { hetzner, pending } = fakeClient();
    void createCatalog({ hetzner, clock }).serverTypes(never);
    void createCatalog({ hetzner, clock }).serverTypes(never);
    expect(pending).toHaveLength(2);
  });

  it("looks each image name up once for every architecture, and serves it for ten minutes", async () => {
    const clock = manualClock();
    const { hetzner, imageLookups } = fakeClient();
    const catalog = createCatalog({ hetzner, clock });
    const debian = [{ name: "debian-12", architecture: "x86" }] as unknown as Image[];
    const first = [catalog.images("debian-12", never), catalog.images("debian-12", never)];
    void catalog.images("ubuntu-24.04", never);
    expect(imageLookups.map((lookup) => lookup.name)).toEqual(["debian-12", "ubuntu-24.04"]);
    imageLookups[0]?.resolve(debian);
    for (const result of await Promise.all(first)) expect(result).toBe(debian);

    clock.time = IMAGES_TTL_MS - 1;
    await expect(catalog.images("debian-12", never)).resolves.toBe(debian);
    expect(imageLookups).toHaveLength(2);
    clock.time = IMAGES_TTL_MS;
    void catalog.images("debian-12", never);
    expect(imageLookups).toHaveLength(3);
  });
});
