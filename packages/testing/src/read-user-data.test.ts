import { describe, expect, it } from "vitest";
import { readUserData } from "./read-user-data.js";

const APT = [
  "apt:",
  "  sources:",
  "    tailscale:",
  "      source: deb [signed-by=$KEY_FILE] https://pkgs.tailscale.com/stable/ubuntu $RELEASE main",
  "packages: [tailscale]",
];
const KEY_FILE = [
  "write_files:",
  "  - path: /run/tailvm/tailscale-auth-key",
  "    permissions: '0600'",
  "    content: tskey-auth-abc\n",
];
const UP = "[tailscale, up, --auth-key=file:/run/tailvm/tailscale-auth-key, --hostname=box]";
const cloudConfig = (...lines: string[]) => ["#cloud-config", ...lines].join("\n");

describe("readUserData", () => {
  it("reads the key file, hostname and tags of the tailscale up argv", () => {
    const plan = readUserData(
      cloudConfig(
        ...APT,
        ...KEY_FILE,
        "runcmd:",
        "  - [tailscale, up, --auth-key=file:/run/tailvm/tailscale-auth-key, --hostname=box, '--advertise-tags=tag:a,tag:b', --ssh, --timeout=300s]",
        "  - [rm, -f, /run/tailvm/tailscale-auth-key]",
      ),
      { image: "ubuntu-24.04" },
    );
    expect(plan).toEqual({
      authKey: "tskey-auth-abc",
      hostname: "box",
      tags: ["tag:a", "tag:b"],
      install: { method: "apt", distribution: "ubuntu" },
      problem: undefined,
    });
  });

  it("reads a literal key from a shell-string runcmd and the cloud-config hostname", () => {
    const plan = readUserData(
      cloudConfig(
        "hostname: from-config",
        "runcmd:",
        '  - "curl -fsSL https://tailscale.com/install.sh | sh"',
        '  - "tailscale up --timeout 60s --authkey tskey-auth-lit"',
      ),
    );
    expect(plan).toMatchObject({
      authKey: "tskey-auth-lit",
      hostname: "from-config",
      tags: [],
      install: { method: "script" },
      problem: undefined,
    });
  });

  it("reads a shell script that installs Tailscale first", () => {
    const plan = readUserData(
      "#!/bin/bash\nset -e\ncurl -fsSL https://tailscale.com/install.sh | sh\n/usr/bin/tailscale up --auth-key=tskey-auth-sh --hostname=s\n",
    );
    expect(plan.authKey).toBe("tskey-auth-sh");
    expect(plan.hostname).toBe("s");
  });

  it("needs Tailscale installed before tailscale up runs", () => {
    const notInstalled = readUserData(cloudConfig(...KEY_FILE, "runcmd:", `  - ${UP}`));
    expect(notInstalled.authKey).toBeUndefined();
    expect(notInstalled.install).toBeUndefined();
    expect(notInstalled.problem).toBe(
      "tailscale is not installed when tailscale up runs: nothing installs it",
    );

    const scriptTooLate = readUserData(
      cloudConfig(
        ...KEY_FILE,
        "runcmd:",
        `  - ${UP}`,
        "  - [sh, -c, 'curl -fsSL https://tailscale.com/install.sh | sh']",
      ),
    );
    expect(scriptTooLate.problem).toMatch(/^tailscale is not installed/);

    const fromBootcmd = readUserData(
      cloudConfig(
        ...KEY_FILE,
        "bootcmd:",
        "  - curl -fsSL https://tailscale.com/install.sh | sh",
        "runcmd:",
        `  - ${UP}`,
      ),
    );
    expect(fromBootcmd).toMatchObject({ authKey: "tskey-auth-abc", install: { method: "script" } });

    const noSource = readUserData(
      cloudConfig("packages: [git, tailscale]", ...KEY_FILE, "runcmd:", `  - ${UP}`),
    );
    expect(noSource.problem).toBe(
      "tailscale is not installed when tailscale up runs: packages lists tailscale but no apt source is on pkgs.tailscale.com",
    );
  });

  it("needs the apt repository of the image's family", () => {
    const text = cloudConfig(...APT, ...KEY_FILE, "runcmd:", `  - ${UP}`);
    const onDebian = readUserData(text, { image: "debian-12" });
    expect(onDebian.authKey).toBeUndefined();
    expect(onDebian.problem).toBe(
      "tailscale is not installed when tailscale up runs: the apt source is for ubuntu but the image is debian-12 (use https://pkgs.tailscale.com/stable/debian)",
    );
    expect(readUserData(text, { image: "ubuntu-22.04" }).authKey).toBe("tskey-auth-abc");

    const debianText = text.replace("/stable/ubuntu", "/stable/debian");
    expect(readUserData(debianText, { image: "debian-12" }).install).toEqual({
      method: "apt",
      distribution: "debian",
    });
    expect(readUserData(debianText, { image: "ubuntu-24.04" }).problem).toMatch(
      /the apt source is for debian but the image is ubuntu-24.04/,
    );
    // A package version pin still installs the package.
    const pinned = text.replace("packages: [tailscale]", "packages: [[tailscale, 1.80.0]]");
    expect(readUserData(pinned, { image: "ubuntu-24.04" }).authKey).toBe("tskey-auth-abc");
  });

  it("walks the commands in order: a key file removed before tailscale up means no key", () => {
    const removedFirst = readUserData(
      cloudConfig(
        ...APT,
        ...KEY_FILE,
        "runcmd:",
        "  - [rm, -f, /run/tailvm/tailscale-auth-key]",
        `  - ${UP}`,
      ),
    );
    expect(removedFirst.authKey).toBeUndefined();
    expect(removedFirst.problem).toBe(
      "the auth key file /run/tailvm/tailscale-auth-key is missing: it was never written or was removed before",
    );

    const sameLine = readUserData(
      cloudConfig(
        ...APT,
        ...KEY_FILE,
        "runcmd:",
        "  - rm -f /run/tailvm/tailscale-auth-key && tailscale up --auth-key=file:/run/tailvm/tailscale-auth-key",
      ),
    );
    expect(sameLine.authKey).toBeUndefined();

    const removedOther = readUserData(
      cloudConfig(...APT, ...KEY_FILE, "runcmd:", "  - rm -f /tmp/other", `  - ${UP}`),
    );
    expect(removedOther.authKey).toBe("tskey-auth-abc");
  });

  it("finds no key file that is written only after the scripts (defer: true)", () => {
    const plan = readUserData(
      cloudConfig(...APT, ...KEY_FILE, "    defer: true", "runcmd:", `  - ${UP}`),
    );
    expect(plan.problem).toBe(
      "the auth key file /run/tailvm/tailscale-auth-key is missing: it is written with defer: true, after the scripts",
    );
  });

  it("says why there is no key when the file is missing, the YAML is broken, or there is no user data", () => {
    const missing = readUserData(
      cloudConfig(...APT, "runcmd:", "  - [tailscale, up, --auth-key=file:/missing]"),
    );
    expect(missing.authKey).toBeUndefined();
    expect(missing.problem).toMatch(/^the auth key file \/missing is missing/);
    const broken = readUserData("#cloud-config\n: : :\n  - [");
    expect(broken).toMatchObject({
      authKey: undefined,
      problem: "the user data never runs tailscale up",
    });
    expect(readUserData(null).problem).toBe("the server has no user data");
    expect(readUserData("plain text").problem).toBe("the user data never runs tailscale up");
    expect(
      readUserData(cloudConfig(...APT, "runcmd:", "  - [tailscale, up, --hostname=x]")).problem,
    ).toBe("tailscale up is given no auth key");
  });
});
