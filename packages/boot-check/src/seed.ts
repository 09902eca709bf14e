import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BootCheckError } from "./errors.js";
import type { HostTools } from "./host-tools.js";
import { runChecked } from "./run-command.js";

export interface SeedOptions {
  directory: string;
  userData: string;
  instanceId: string;
  hostname: string;
  tools: Pick<HostTools, "mkfsVfat" | "mcopy">;
  signal?: AbortSignal | undefined;
}

const SEED_KIB = 4096;

/**
 * A NoCloud seed: a vfat volume labelled CIDATA with `user-data`, `meta-data` (`dsmode: net`, as
 * Hetzner's datasource behaves: modules run once the network is up) and a DHCPv4-only
 * `network-config` for eth0 (without it cloud-init 25 also waits for DHCPv6).
 */
export async function makeSeed(options: SeedOptions): Promise<string> {
  const { directory } = options;
  if (Buffer.byteLength(options.userData) > (SEED_KIB - 256) * 1024) {
    throw new BootCheckError(
      `The user data is ${Buffer.byteLength(options.userData)} bytes, more than the seed holds; Hetzner accepts 32 KiB.`,
      { phase: "seed" },
    );
  }
  const files = {
    "user-data": options.userData,
    "meta-data": `instance-id: ${options.instanceId}\nlocal-hostname: ${options.hostname}\ndsmode: net\n`,
    "network-config":
      "version: 2\nethernets:\n  eth0:\n    dhcp4: true\n    dhcp6: false\n    accept-ra: false\n",
  };
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(directory, name), content);
  const image = join(directory, "seed.img");
  const bounded = { phase: "seed" as const, timeoutMs: 60_000, signal: options.signal };
  await runChecked(options.tools.mkfsVfat, ["-C", "-n", "CIDATA", image, String(SEED_KIB)], {
    ...bounded,
    what: "Making the NoCloud seed",
  });
  await runChecked(
    options.tools.mcopy,
    ["-i", image, ...Object.keys(files).map((name) => join(directory, name)), "::"],
    { ...bounded, what: "Copying the user data into the seed" },
  );
  return image;
}
