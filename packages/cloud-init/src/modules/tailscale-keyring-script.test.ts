import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "@tailvm/internal";
import { runProgram } from "@tailvm/internal/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IN_CI } from "../../test/cloud-init-tools.js";
import { closeServerAndDirectory, listenOnLoopback } from "../../test/loopback-server.js";
import { TAILSCALE_KEYRING_PATH, tailscale } from "./tailscale.js";
import { KEYRING_SCRIPT } from "./tailscale-keyring-script.js";

const PYTHON = findExecutable("python3");
const GPG = findExecutable("gpg");
const MUST_RUN = (PYTHON !== undefined && GPG !== undefined) || IN_CI;

/**
 * Re-encodes every packet of an old-format keyring with new-format headers (RFC 9580 4.2.1): the
 * shortest length form, or always the five-octet form.
 */
function toNewFormat(keyring: Buffer, fiveOctetLengths: boolean): Buffer {
  const out: Buffer[] = [];
  let index = 0;
  while (index < keyring.length) {
    const first = keyring[index] ?? 0;
    const width = 1 << (first & 3);
    const size = keyring.readUIntBE(index + 1, width);
    const tag = 0xc0 | ((first >> 2) & 0x0f);
    const length =
      !fiveOctetLengths && size < 192
        ? [size]
        : !fiveOctetLengths && size < 8384
          ? [((size - 192) >> 8) + 192, (size - 192) & 0xff]
          : [0xff, ...[24, 16, 8, 0].map((shift) => (size >>> shift) & 0xff)];
    out.push(
      Buffer.from([tag, ...length]),
      keyring.subarray(index + 1 + width, index + 1 + width + size),
    );
    index += 1 + width + size;
  }
  return Buffer.concat(out);
}

function binaryOutput(file: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "ignore"] });
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

describe.runIf(MUST_RUN)("the Tailscale keyring program (python3, keys made with gpg)", () => {
  let directory: string;
  let server: Server;
  let repository: string;
  const keys: { fingerprint: string; keyring: Buffer }[] = [];
  /** What the repository answers, in order, for each request of the keyring; then 200. */
  let answers: number[] = [];
  let body: Buffer = Buffer.alloc(0);
  let requests: string[] = [];

  beforeAll(async () => {
    if (PYTHON === undefined || GPG === undefined) {
      throw new Error("CI is set but python3 or gpg is missing: apt-get install python3 gnupg");
    }
    directory = mkdtempSync(join(tmpdir(), "tailvm-keyring-"));
    const home = join(directory, "gnupg");
    mkdirSync(home, { mode: 0o700 });
    for (const [name, algorithm] of [
      ["first", "ed25519"],
      ["second", "ed25519"],
      ["rsa", "rsa2048"],
    ] as const) {
      const gpg = (...args: string[]) => runProgram(GPG, ["--homedir", home, "--batch", ...args]);
      const made = await gpg(
        "--passphrase",
        "",
        "--quick-gen-key",
        `${name} <${name}@example.invalid>`,
        algorithm,
        "sign",
        "never",
      );
      expect(made.code, made.stderr).toBe(0);
      const listed = await gpg("--with-colons", "--list-keys", `${name}@example.invalid`);
      const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listed.stdout)?.[1] ?? "";
      keys.push({
        fingerprint,
        keyring: await binaryOutput(GPG, ["--homedir", home, "--export", fingerprint]),
      });
    }
    await runProgram(findExecutable("gpgconf") ?? "gpgconf", ["--homedir", home, "--kill", "all"]);
    writeFileSync(join(directory, "os-release"), 'ID=debian\nVERSION_CODENAME="bookworm"\n');
    const loopback = await listenOnLoopback((request, response) => {
      requests.push(request.url ?? "");
      const status = answers.shift() ?? 200;
      // /any/ serves the keyring for whatever release the machine running the test has.
      const url = request.url ?? "";
      const known =
        url === "/stable/debian/bookworm.noarmor.gpg" ||
        /^\/any\/debian\/[a-z]+\.noarmor\.gpg$/.test(url);
      if (!known) response.statusCode = 404;
      else response.statusCode = status;
      response.end(response.statusCode === 200 ? body : "");
    });
    server = loopback.server;
    repository = `${loopback.origin}/stable/debian`;
  }, 60_000);

  afterAll(() => closeServerAndDirectory(server, directory));

  beforeEach(() => {
    answers = [];
    requests = [];
    rmSync(join(directory, "keyring.gpg"), { force: true });
  });

  const install = (fingerprint: string, extra: string[] = []) =>
    runProgram(
      PYTHON ?? "python3",
      [
        "-",
        `--repository=${repository}`,
        `--fingerprint=${fingerprint}`,
        `--keyring=${join(directory, "keyring.gpg")}`,
        `--os-release=${join(directory, "os-release")}`,
        "--attempts=3",
        "--retry-delay=0",
        ...extra,
      ],
      KEYRING_SCRIPT,
    );
  const installed = () => {
    try {
      return readFileSync(join(directory, "keyring.gpg"));
    } catch {
      return undefined;
    }
  };

  it("installs the keyring (0644) when its key has the pinned fingerprint, as gpg computes it", async () => {
    const [key] = keys;
    body = key?.keyring ?? Buffer.alloc(0);
    const result = await install(key?.fingerprint ?? "");
    expect(result.code, result.stderr).toBe(0);
    expect(requests).toEqual(["/stable/debian/bookworm.noarmor.gpg"]);
    expect(installed()?.equals(body)).toBe(true);
    expect(statSync(join(directory, "keyring.gpg")).mode & 0o777).toBe(0o644);
    expect(result.stderr).toContain("installed");
  });

  it.each([
    ["ed25519", 0, false],
    ["ed25519", 0, true],
    ["RSA", 2, false],
    ["RSA", 2, true],
  ] as const)(
    "reads new-format packet headers the same way (%s key #%i, five-octet lengths: %s)",
    async (_name, which, fiveOctet) => {
      const key = keys[which];
      body = toNewFormat(key?.keyring ?? Buffer.alloc(0), fiveOctet);
      expect(body.equals(key?.keyring ?? Buffer.alloc(0))).toBe(false);
      const result = await install(key?.fingerprint ?? "");
      expect(result.code, result.stderr).toBe(0);
    },
  );

  it("accepts an old-format RSA key like Tailscale's", async () => {
    const key = keys[2];
    body = key?.keyring ?? Buffer.alloc(0);
    const result = await install(key?.fingerprint ?? "");
    expect(result.code, result.stderr).toBe(0);
  });

  it("keeps a keyring already in place without a request, so later boots need no network", async () => {
    const [key] = keys;
    writeFileSync(join(directory, "keyring.gpg"), key?.keyring ?? "");
    const result = await install(key?.fingerprint ?? "");
    expect(result.code, result.stderr).toBe(0);
    expect(requests).toEqual([]);
  });

  it("refuses a key with another fingerprint loudly, exits 2 and installs nothing", async () => {
    const [first, second] = keys;
    body = second?.keyring ?? Buffer.alloc(0);
    const result = await install(first?.fingerprint ?? "");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ERROR: FINGERPRINT MISMATCH");
    expect(result.stderr).toContain(second?.fingerprint);
    expect(result.stderr).toContain(`expected ${first?.fingerprint}`);
    expect(installed()).toBeUndefined();
  });

  it("refuses a keyring that holds a second key besides the pinned one", async () => {
    const [first, second] = keys;
    body = Buffer.concat([first?.keyring ?? Buffer.alloc(0), second?.keyring ?? Buffer.alloc(0)]);
    const result = await install(first?.fingerprint ?? "");
    expect(result.code).toBe(2);
    expect(installed()).toBeUndefined();
  });

  it("retries 5xx and 429 answers, then installs", async () => {
    const [key] = keys;
    body = key?.keyring ?? Buffer.alloc(0);
    answers = [503, 429];
    const result = await install(key?.fingerprint ?? "");
    expect(result.code, result.stderr).toBe(0);
    expect(requests).toHaveLength(3);
    expect(result.stderr).toContain("attempt 1 of 3 failed (HTTP 503)");
  });

  it("stops after the bounded attempts with exit 4", async () => {
    answers = [500, 502, 503, 504];
    const result = await install(keys[0]?.fingerprint ?? "");
    expect(result.code).toBe(4);
    expect(requests).toHaveLength(3);
    expect(result.stderr).toContain("after 3 attempts");
  });

  it("does not retry a 404 (wrong distribution or release) and exits 3", async () => {
    const result = await install(keys[0]?.fingerprint ?? "", [
      `--repository=${repository}/../ubuntu`,
    ]);
    expect(result.code).toBe(3);
    expect(requests).toHaveLength(1);
    expect(result.stderr).toContain("HTTP 404");
  });

  it("retries a repository that cannot be reached", async () => {
    const result = await install(keys[0]?.fingerprint ?? "", ["--repository=http://127.0.0.1:9/x"]);
    expect(result.code).toBe(4);
    expect(result.stderr.match(/failed \(/g)).toHaveLength(2);
  });

  it("keeps its failure as bootcmd's status when later bootcmd entries follow, and lets them run", async () => {
    const [first, second] = keys;
    body = second?.keyring ?? Buffer.alloc(0);
    const bootcmd = (fingerprint: string) =>
      String(
        tailscale({
          authKey: "tskey-auth-x",
          hostname: "h",
          distribution: "debian",
          repository: repository.replace("/stable/debian", "/any"),
          keyFingerprint: fingerprint,
        }).bootcmd?.[0],
      ).replaceAll(TAILSCALE_KEYRING_PATH, join(directory, "keyring.gpg"));
    // As cloud-init runs bootcmd: every entry in one sh script.
    const failed = await runProgram("sh", [
      "-c",
      `${bootcmd(first?.fingerprint ?? "")}echo later entry\ntrue\n`,
    ]);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe("later entry\n");
    expect(failed.stderr).toContain("FINGERPRINT MISMATCH");
    const passed = await runProgram("sh", ["-c", `${bootcmd(second?.fingerprint ?? "")}true\n`]);
    expect(passed.code, passed.stderr).toBe(0);
    expect(installed()?.equals(body)).toBe(true);
  });

  it("rejects an armoured key file with exit 5", async () => {
    body = Buffer.from("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n");
    const result = await install(keys[0]?.fingerprint ?? "");
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("not a binary OpenPGP keyring");
    expect(installed()).toBeUndefined();
  });
});
