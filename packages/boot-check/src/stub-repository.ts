import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readGuestFile } from "./guest-files.js";
import type { HostTools } from "./host-tools.js";
import { runChecked } from "./run-command.js";

/** A local apt repository in Tailscale's layout that serves a stub `tailscale` package. */
export interface StubRepository {
  /** The directory to serve: `stable/debian/...` lies under it. */
  root: string;
  /** Fingerprint of the repository's own signing key (made for this run). */
  fingerprint: string;
  /** The version of the stub package. */
  version: string;
}

export interface CreateStubRepositoryOptions {
  directory: string;
  codenames: readonly string[];
  tools: Pick<HostTools, "gpg" | "gpgconf" | "dpkgDeb">;
  signal?: AbortSignal | undefined;
}

const VERSION = "1.99.0~boot-check";
const DISTRIBUTION = "debian";

/**
 * Builds the stub package (a `tailscale` CLI that logs its arguments and the auth key file's
 * state, a `tailscaled` that idles) with dpkg-deb, a signing key with gpg, and a repository signed
 * with it: `stable/debian/dists/<codename>/{InRelease,Release,Release.gpg}`, the `Packages` index,
 * the pool, and `stable/debian/<codename>.noarmor.gpg` (the binary keyring, as pkgs.tailscale.com
 * serves it).
 */
export async function createStubRepository(
  options: CreateStubRepositoryOptions,
): Promise<StubRepository> {
  const { directory, tools } = options;
  const run = (file: string, args: string[], what: string, input?: string) =>
    runChecked(file, args, {
      phase: "repository",
      what,
      timeoutMs: 60_000,
      signal: options.signal,
      ...(input === undefined ? {} : { input }),
    });
  const home = join(directory, "gnupg");
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const gpg = (args: string[], what: string) =>
    run(tools.gpg, ["--homedir", home, "--batch", "--yes", ...args], what);
  try {
    await gpg(
      [
        "--passphrase",
        "",
        "--quick-gen-key",
        "tailvm boot-check test repository <boot-check@tailvm.invalid>",
        "ed25519",
        "sign",
        "never",
      ],
      "Making the test repository's signing key",
    );
    const listed = await gpg(["--with-colons", "--list-keys"], "Reading the signing key");
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listed.stdout)?.[1] ?? "";

    const repository = join(directory, "www", "stable", DISTRIBUTION);
    const debPath = join(
      repository,
      "pool",
      "main",
      "t",
      "tailscale",
      `tailscale_${VERSION}_all.deb`,
    );
    await buildStubPackage(join(directory, "package"), debPath, tools.dpkgDeb, run);
    const deb = readFileSync(debPath);
    const packages = `${[
      ...packageControl(),
      `Filename: pool/main/t/tailscale/tailscale_${VERSION}_all.deb`,
      `Size: ${deb.length}`,
      `MD5sum: ${createHash("md5").update(deb).digest("hex")}`,
      `SHA256: ${createHash("sha256").update(deb).digest("hex")}`,
    ].join("\n")}\n`;
    const keyring = join(directory, "keyring.gpg");
    await gpg(["--output", keyring, "--export", fingerprint], "Exporting the signing key");
    for (const codename of options.codenames) {
      const dist = join(repository, "dists", codename);
      const index = join(dist, "main", "binary-amd64", "Packages");
      mkdirSync(dirname(index), { recursive: true });
      writeFileSync(index, packages);
      writeFileSync(join(dist, "Release"), releaseFile(codename, packages));
      const release = join(dist, "Release");
      const user = ["--local-user", fingerprint];
      await gpg([...user, "--clearsign", "--output", join(dist, "InRelease"), release], "Signing");
      await gpg(
        [...user, "--detach-sign", "--armor", "--output", `${release}.gpg`, release],
        "Signing",
      );
      writeFileSync(join(repository, `${codename}.noarmor.gpg`), readFileSync(keyring));
    }
    return { root: join(directory, "www"), fingerprint, version: VERSION };
  } finally {
    await run(tools.gpgconf, ["--homedir", home, "--kill", "all"], "Stopping gpg-agent").catch(
      () => {},
    );
  }
}

function packageControl(): string[] {
  return [
    "Package: tailscale",
    `Version: ${VERSION}`,
    "Architecture: all",
    "Maintainer: tailvm boot-check <boot-check@tailvm.invalid>",
    "Installed-Size: 16",
    "Section: net",
    "Priority: optional",
    "Description: stand-in for Tailscale in tailvm boot checks",
    " Logs each tailscale call and the auth key file's state; joins nothing.",
  ];
}

async function buildStubPackage(
  staging: string,
  output: string,
  dpkgDeb: string,
  run: (file: string, args: string[], what: string) => Promise<unknown>,
): Promise<void> {
  const files: [string, string, number][] = [
    ["usr/bin/tailscale", "stub-tailscale/tailscale", 0o755],
    ["usr/sbin/tailscaled", "stub-tailscale/tailscaled", 0o755],
    ["lib/systemd/system/tailscaled.service", "stub-tailscale/tailscaled.service", 0o644],
  ];
  for (const [target, source, mode] of files) {
    const path = join(staging, target);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, readGuestFile(source));
    chmodSync(path, mode);
  }
  mkdirSync(join(staging, "DEBIAN"), { recursive: true });
  writeFileSync(join(staging, "DEBIAN", "control"), `${packageControl().join("\n")}\n`);
  mkdirSync(dirname(output), { recursive: true });
  await run(
    dpkgDeb,
    ["--root-owner-group", "-Zgzip", "--build", staging, output],
    "Building the stub package",
  );
}

function releaseFile(codename: string, packages: string): string {
  const digest = createHash("sha256").update(packages).digest("hex");
  return `${[
    "Origin: tailvm boot-check",
    "Label: tailvm boot-check",
    `Suite: ${codename}`,
    `Codename: ${codename}`,
    `Date: ${new Date().toUTCString().replace("GMT", "UTC")}`,
    "Architectures: amd64",
    "Components: main",
    "Description: stub Tailscale repository for tailvm boot checks",
    "SHA256:",
    ` ${digest} ${Buffer.byteLength(packages)} main/binary-amd64/Packages`,
  ].join("\n")}\n`;
}
