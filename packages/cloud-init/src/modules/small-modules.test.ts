import { describe, expect, it } from "vitest";
import { CloudConfigValidationError } from "../errors.js";
import { preview, render } from "../render.js";
import { secret } from "../secret.js";
import { validate } from "../validate.js";
import { readySignal } from "./ready-signal.js";
import { SSH_HARDENING_CONFIG_PATH, sshHardening } from "./ssh-hardening.js";
import { swapFile } from "./swap-file.js";
import { UNATTENDED_UPGRADES_CONFIG_PATH, unattendedUpgrades } from "./unattended-upgrades.js";

describe("sshHardening", () => {
  it("turns off password logins in cloud-init and sshd, keeps root key logins, reloads sshd", () => {
    const config = sshHardening();
    expect(config.ssh_pwauth).toBe(false);
    expect(config.disable_root).toBeUndefined();
    const file = config.write_files?.[0];
    expect(file?.path).toBe(SSH_HARDENING_CONFIG_PATH);
    expect(file?.content).toMatch(/^PasswordAuthentication no$/m);
    expect(file?.content).toMatch(/^KbdInteractiveAuthentication no$/m);
    expect(file?.content).toMatch(/^PermitRootLogin prohibit-password$/m);
    expect(config.runcmd).toEqual([["systemctl", "try-reload-or-restart", "ssh.service"]]);
    expect(() => validate(config)).not.toThrow();
  });
});

describe("unattendedUpgrades", () => {
  it("installs the package and enables the periodic run", () => {
    const config = unattendedUpgrades();
    expect(config.packages).toEqual(["unattended-upgrades"]);
    expect(config.write_files?.[0]?.path).toBe(UNATTENDED_UPGRADES_CONFIG_PATH);
    expect(config.write_files?.[0]?.content).toContain('APT::Periodic::Unattended-Upgrade "1";');
    expect(() => validate(config)).not.toThrow();
  });
});

describe("swapFile", () => {
  it("uses the swap setting with a size in MiB", () => {
    expect(swapFile(2048)).toEqual({ swap: { filename: "/swapfile", size: "2048M" } });
    expect(() => validate(swapFile(1))).not.toThrow();
  });

  it.each([0, -1, 1.5, Number.NaN, 2 * 1024 * 1024])("rejects %s MiB", (size) => {
    expect(() => swapFile(size)).toThrow(CloudConfigValidationError);
    expect(() => swapFile(size)).toThrow(/sizeMb: must be a whole number of MiB/);
  });
});

describe("readySignal", () => {
  it("posts instance id, hostname and fqdn to the URL via phone_home", () => {
    expect(readySignal("https://example.com/ready")).toEqual({
      phone_home: {
        url: "https://example.com/ready",
        post: ["instance_id", "hostname", "fqdn"],
        tries: 10,
      },
    });
    expect(
      readySignal("http://10.0.0.1:8080/x", { post: "all", tries: 2 }).phone_home,
    ).toMatchObject({
      post: "all",
      tries: 2,
    });
  });

  it("keeps a secret URL out of previews", () => {
    const config = readySignal(secret("https://example.com/ready?token=abc123"));
    expect(render(config)).toContain("token=abc123");
    expect(preview(config)).not.toContain("abc123");
  });

  it("rejects a non-http URL or bad tries without echoing the URL", () => {
    let caught: unknown;
    try {
      readySignal(secret("ftp://example.com/?token=abc123"), { tries: 0 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CloudConfigValidationError);
    const error = caught as CloudConfigValidationError;
    expect(error.issues.map((issue) => issue.path)).toEqual(["url", "tries"]);
    expect(error.message).not.toContain("abc123");
    expect(() => readySignal("not a url")).toThrow(/url: must be an absolute http/);
  });
});
