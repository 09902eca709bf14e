import { describe, expect, it } from "vitest";
import { CloudConfigValidationError } from "./errors.js";
import { secret } from "./secret.js";
import type { CloudConfig } from "./types.js";
import { USER_DATA_LIMIT_BYTES, validate } from "./validate.js";

function issuesOf(config: unknown, options?: Parameters<typeof validate>[1]) {
  try {
    validate(config as CloudConfig, options);
  } catch (error) {
    if (error instanceof CloudConfigValidationError) return error;
    throw error;
  }
  return undefined;
}

function pathsOf(config: unknown): string[] {
  return issuesOf(config)?.issues.map((issue) => issue.path) ?? [];
}

describe("validate", () => {
  it("accepts a good config", () => {
    expect(() =>
      validate({
        hostname: "runner-1",
        fqdn: "runner-1.example.com",
        timezone: "Europe/Berlin",
        users: [
          "default",
          { name: "deploy", groups: ["sudo"], ssh_authorized_keys: ["ssh-ed25519 AAAA x"] },
        ],
        packages: ["git", ["jq", "1.6"], "libc6:amd64"],
        write_files: [
          {
            path: "/etc/x",
            permissions: "0600",
            owner: "root:root",
            encoding: "b64",
            content: "eA==",
          },
        ],
        runcmd: ["echo hi", ["ls", secret("x")]],
        swap: { filename: "/swapfile", size: "1G" },
        phone_home: { url: "https://example.com/ready" },
        power_state: { mode: "reboot" },
        apt: { sources: { x: { source: "deb https://example.com $RELEASE main" } } },
      }),
    ).not.toThrow();
  });

  it.each([
    ["-runner"],
    ["runner-"],
    ["Runner"],
    ["runner_1"],
    ["runner.example.com"],
    ["a".repeat(64)],
    [""],
  ])("rejects hostname %j as one RFC 1123 label", (hostname) => {
    const error = issuesOf({ hostname });
    expect(error?.issues).toEqual([
      { path: "hostname", message: expect.stringContaining("RFC 1123") },
    ]);
  });

  it("accepts a 63-character hostname", () => {
    expect(() => validate({ hostname: `a${"-".repeat(61)}b` })).not.toThrow();
  });

  it("names write_files fields by index", () => {
    const paths = pathsOf({
      write_files: [
        { path: "/ok", permissions: "0644" },
        { path: "/ok", permissions: "644" },
        {
          path: "relative/file",
          permissions: "rw-r--r--",
          owner: "Root Group",
          encoding: "zip",
          defer: "yes",
        },
        { path: "/dir/", permissions: 420 },
      ],
    });
    expect(paths).toEqual([
      "write_files[2].path",
      "write_files[2].permissions",
      "write_files[2].owner",
      "write_files[2].encoding",
      "write_files[2].defer",
      "write_files[3].path",
      "write_files[3].permissions",
    ]);
  });

  it("explains the permissions format", () => {
    expect(issuesOf({ write_files: [{ path: "/a", permissions: "0o644" }] })?.message).toContain(
      'write_files[0].permissions: must be an octal string such as "0644" or "0600" (got "0o644")',
    );
  });

  it("checks user names, keys and flags", () => {
    expect(
      pathsOf({
        users: [
          "default",
          { name: "Deploy" },
          { name: "ok", ssh_authorized_keys: ["ssh-ed25519 A\nssh-rsa B"], lock_passwd: "yes" },
          "admin",
          { name: "x".repeat(33) },
        ],
      }),
    ).toEqual([
      "users[1].name",
      "users[2].ssh_authorized_keys[0]",
      "users[2].lock_passwd",
      "users[3]",
      "users[4].name",
    ]);
  });

  it("checks commands, packages, swap, phone_home, power_state, timezone and booleans", () => {
    expect(
      pathsOf({
        runcmd: ["", [], [42]],
        bootcmd: [],
        packages: ["git tools"],
        swap: { size: "lots", filename: "swapfile" },
        phone_home: { url: "ftp://example.com" },
        power_state: { mode: "explode" },
        timezone: "Europe Berlin",
        package_update: "yes",
        fqdn: "-bad.example.com",
        apt: { sources: { x: {}, y: { source: "deb a\ndeb b" } } },
      }),
    ).toEqual([
      "fqdn",
      "timezone",
      "packages[0]",
      "bootcmd",
      "runcmd[0]",
      "runcmd[1]",
      "runcmd[2][0]",
      "apt.sources.x",
      "apt.sources.y.source",
      "swap.size",
      "swap.filename",
      "phone_home.url",
      "power_state.mode",
      "package_update",
    ]);
  });

  it("rejects lone surrogates, which cannot be UTF-8 user data", () => {
    expect(pathsOf({ final_message: "a\ud800b" })).toEqual(["final_message"]);
    expect(pathsOf({ write_files: [{ path: "/a", content: secret("\udc00") }] })).toEqual([
      "write_files[0].content",
    ]);
  });

  it("rejects user data over Hetzner's 32 KiB limit, naming the size and the limit", () => {
    const content = "x".repeat(USER_DATA_LIMIT_BYTES);
    const error = issuesOf({ write_files: [{ path: "/big", content }] });
    expect(error?.issues[0]?.path).toBe("(user_data)");
    expect(error?.message).toMatch(/is 3\d{4} bytes, over the limit of 32768 bytes \(32 KiB/);
    expect(USER_DATA_LIMIT_BYTES).toBe(32768);
  });

  it("counts UTF-8 bytes, secrets revealed, and honours limitBytes and the mime format", () => {
    const config: CloudConfig = { write_files: [{ path: "/a", content: secret("é".repeat(100)) }] };
    expect(() => validate(config, { limitBytes: 200 })).toThrow(/over the limit of 200 bytes/);
    expect(() => validate(config, { limitBytes: 300 })).not.toThrow();
    expect(() => validate(config, { limitBytes: 300, format: "mime" })).toThrow(
      /over the limit of 300 bytes/,
    );
  });

  it("never echoes a secret or a phone_home URL in its message", () => {
    const error = issuesOf({
      hostname: secret("topsecret-host") as unknown as string,
      phone_home: { url: secret("not a url token=zzz") },
      runcmd: [secret("")],
    });
    expect(error?.issues.map((issue) => issue.path)).toEqual(["hostname", "phone_home.url"]);
    expect(error?.message).not.toMatch(/topsecret|zzz/);
    expect(error?.message).toContain("(got a secret)");
  });

  it("rejects a non-object", () => {
    expect(pathsOf(["hostname"])).toEqual(["(root)"]);
  });
});
