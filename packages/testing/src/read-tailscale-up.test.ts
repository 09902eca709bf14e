import { describe, expect, it } from "vitest";
import { readTailscaleUp } from "./read-tailscale-up.js";
import { parseShellCommands } from "./shell-commands.js";

const read = (line: string) => readTailscaleUp(parseShellCommands(line)[0] ?? []);

describe("readTailscaleUp", () => {
  it("reads value flags in both forms and booleans with or without a value", () => {
    expect(
      read(
        "tailscale up --ssh --accept-dns=false --hostname h -advertise-tags=tag:a,tag:b --auth-key K",
      ),
    ).toEqual({ authKey: { text: "K", expanded: false }, hostname: "h", tags: ["tag:a", "tag:b"] });
    expect(read("tailscale up --authkey=K --")).toMatchObject({ authKey: { text: "K" } });
  });

  it("needs tailscale as the command word, behind sudo, env or assignments at most", () => {
    expect(read("echo tailscale up --auth-key=K")).toBeUndefined();
    expect(read("tailscale status")).toBeUndefined();
    expect(read("$TS up --auth-key=K")).toBeUndefined();
    expect(read("A=1 sudo -E -u root env -i B=2 /usr/bin/tailscale up --auth-key=K")).toMatchObject(
      { authKey: { text: "K" } },
    );
    expect(read("tailscale --socket /x up --auth-key=K")).toMatchObject({ authKey: { text: "K" } });
  });

  it("exits on what Go's flag package refuses, never quoting a value", () => {
    expect(read("tailscale up --ssh true --auth-key=tskey-x")?.error).toMatch(
      /^tailscale up exits: too many non-flag arguments/,
    );
    expect(read("tailscale up --auth-key=K tskey-x")?.error).not.toContain("tskey");
    expect(read("tailscale up --ssh=yes")?.error).toBe(
      "tailscale up exits: invalid boolean value for flag -ssh",
    );
    expect(read("tailscale up --hostname")?.error).toBe(
      "tailscale up exits: flag needs an argument: -hostname",
    );
    expect(read("tailscale up --bogus --auth-key=K")?.error).toBe(
      "tailscale up exits: flag provided but not defined: -bogus",
    );
    expect(read("tailscale --bogus up")?.error).toBe(
      "tailscale exits: flag provided but not defined: -bogus",
    );
    expect(read("tailscale up ---x")?.error).toBe("tailscale up exits: bad flag syntax: ---x");
  });
});
