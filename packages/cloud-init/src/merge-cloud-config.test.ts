import { describe, expect, it } from "vitest";
import { mergeCloudConfig } from "./merge-cloud-config.js";
import { render } from "./render.js";
import { secret } from "./secret.js";
import type { CloudConfig } from "./types.js";

describe("mergeCloudConfig", () => {
  it("appends lists in argument order", () => {
    const merged = mergeCloudConfig(
      { runcmd: ["a"], write_files: [{ path: "/a" }], bootcmd: [["x"]] },
      { runcmd: [["b", "c"]], write_files: [{ path: "/b" }] },
      { runcmd: ["d"] },
    );
    expect(merged.runcmd).toEqual(["a", ["b", "c"], "d"]);
    expect(merged.write_files).toEqual([{ path: "/a" }, { path: "/b" }]);
    expect(merged.bootcmd).toEqual([["x"]]);
  });

  it("lets later scalars win and ignores undefined", () => {
    const later: CloudConfig = { hostname: "b", package_update: false };
    const merged = mergeCloudConfig(
      { hostname: "a", package_update: true, timezone: "UTC" },
      later,
      { timezone: undefined } as unknown as CloudConfig,
    );
    expect(merged).toEqual({ hostname: "b", package_update: false, timezone: "UTC" });
  });

  it("keeps one copy of a repeated package, key or default user, but every user object", () => {
    const merged = mergeCloudConfig(
      {
        packages: ["git", "tailscale"],
        users: ["default", { name: "a" }],
        ssh_authorized_keys: ["k1"],
      },
      {
        packages: ["tailscale", ["jq", "1.6"]],
        users: ["default", { name: "a" }],
        ssh_authorized_keys: ["k1", "k2"],
      },
    );
    expect(merged.packages).toEqual(["git", "tailscale", ["jq", "1.6"]]);
    expect(merged.users).toEqual(["default", { name: "a" }, { name: "a" }]);
    expect(merged.ssh_authorized_keys).toEqual(["k1", "k2"]);
  });

  it("merges apt sources by name, later fields overriding", () => {
    const merged = mergeCloudConfig(
      {
        apt: {
          sources: { one: { source: "deb one", keyid: "AAAA" } },
          disable_suites: ["backports"],
        },
      },
      {
        apt: {
          sources: { one: { keyid: "BBBB" }, two: { source: "deb two" } },
          disable_suites: ["proposed"],
        },
      },
    );
    expect(merged.apt).toEqual({
      sources: { one: { source: "deb one", keyid: "BBBB" }, two: { source: "deb two" } },
      disable_suites: ["backports", "proposed"],
    });
  });

  it("merges ntp deeply but replaces swap, power_state and phone_home whole", () => {
    const merged = mergeCloudConfig(
      {
        ntp: { enabled: true, pools: ["a"] },
        swap: { filename: "/a", size: "1G", maxsize: "2G" },
        power_state: { mode: "reboot", delay: 5 },
        phone_home: { url: "https://a", tries: 3 },
      },
      {
        ntp: { pools: ["b"] },
        swap: { size: "2G" },
        power_state: { mode: "poweroff" },
        phone_home: { url: "https://b" },
      },
    );
    expect(merged.ntp).toEqual({ enabled: true, pools: ["a", "b"] });
    expect(merged.swap).toEqual({ size: "2G" });
    expect(merged.power_state).toEqual({ mode: "poweroff" });
    expect(merged.phone_home).toEqual({ url: "https://b" });
  });

  it("does not modify its inputs and keeps secrets as they are", () => {
    const key = secret("k");
    const first: CloudConfig = { runcmd: ["a"], apt: { sources: { x: { source: "deb x" } } } };
    const second: CloudConfig = {
      runcmd: [["echo", key]],
      apt: { sources: { x: { keyid: "K" } } },
    };
    const snapshot = JSON.stringify([first, second]);
    const merged = mergeCloudConfig(first, second);
    expect(JSON.stringify([first, second])).toBe(snapshot);
    expect(merged.runcmd?.[1]).toEqual(["echo", key]);
    merged.runcmd?.push("mutated");
    expect(first.runcmd).toEqual(["a"]);
  });

  it("returns an empty config for no arguments", () => {
    expect(mergeCloudConfig()).toEqual({});
  });

  it("keeps keys named __proto__ or after Object.prototype members as ordinary keys", () => {
    const first = JSON.parse('{"apt": {"sources": {"a": {"source": "deb a"}}}}') as CloudConfig;
    const second = JSON.parse(
      '{"apt": {"sources": {"__proto__": {"source": "deb p"}, "toString": {"source": "deb t"}}}}',
    ) as CloudConfig;
    const sources = mergeCloudConfig(first, second).apt?.sources ?? {};
    expect(Object.keys(sources)).toEqual(["a", "__proto__", "toString"]);
    expect(Object.getOwnPropertyDescriptor(sources, "__proto__")?.value).toEqual({
      source: "deb p",
    });
    expect(render(mergeCloudConfig(first, second))).toContain(
      "    __proto__:\n      source: deb p\n",
    );
  });
});
