import { describe, expect, it } from "vitest";
import { readUserData } from "./read-user-data.js";

describe("readUserData", () => {
  it("reads the key file, hostname and tags of the tailscale up argv", () => {
    const plan = readUserData(
      [
        "#cloud-config",
        "write_files:",
        "  - path: /run/tailvm/tailscale-auth-key",
        "    permissions: '0600'",
        "    content: tskey-auth-abc\n",
        "runcmd:",
        "  - [tailscale, up, --auth-key=file:/run/tailvm/tailscale-auth-key, --hostname=box, '--advertise-tags=tag:a,tag:b', --ssh]",
        "  - [rm, -f, /run/tailvm/tailscale-auth-key]",
      ].join("\n"),
    );
    expect(plan).toEqual({ authKey: "tskey-auth-abc", hostname: "box", tags: ["tag:a", "tag:b"] });
  });

  it("reads a literal key from a shell-string runcmd and the cloud-config hostname", () => {
    const plan = readUserData(
      '#cloud-config\nhostname: from-config\nruncmd:\n  - "tailscale up --authkey tskey-auth-lit"\n',
    );
    expect(plan).toEqual({ authKey: "tskey-auth-lit", hostname: "from-config", tags: [] });
  });

  it("reads a shell script", () => {
    const plan = readUserData(
      "#!/bin/bash\nset -e\n/usr/bin/tailscale up --auth-key=tskey-auth-sh --hostname=s\n",
    );
    expect(plan.authKey).toBe("tskey-auth-sh");
    expect(plan.hostname).toBe("s");
  });

  it("finds no key when the file is missing, the YAML is broken, or there is no user data", () => {
    expect(
      readUserData("#cloud-config\nruncmd:\n  - [tailscale, up, --auth-key=file:/missing]\n")
        .authKey,
    ).toBeUndefined();
    expect(readUserData("#cloud-config\n: : :\n  - [").authKey).toBeUndefined();
    expect(readUserData(null).authKey).toBeUndefined();
    expect(readUserData("plain text").authKey).toBeUndefined();
  });
});
