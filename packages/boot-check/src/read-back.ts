import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { HostTools } from "./host-tools.js";
import { runCommand } from "./run-command.js";

/** Where the collector in the image writes what it found. */
export const GUEST_RESULTS = "/var/lib/tailvm-boot-check";

const LOGS = ["/var/log/cloud-init.log", "/var/log/cloud-init-output.log"];

/**
 * Reads the collector's results and cloud-init's logs out of the powered-off guest's disk with
 * debugfs (no mount, no loop device), after replaying the ext4 journal of a guest that was
 * stopped abruptly. Returns file name -> content; missing files are simply absent.
 */
export async function readBack(options: {
  disk: string;
  directory: string;
  tools: Pick<HostTools, "debugfs" | "e2fsck">;
  signal?: AbortSignal | undefined;
}): Promise<Map<string, string>> {
  const bounded = { phase: "read-back" as const, timeoutMs: 120_000, signal: options.signal };
  await runCommand(options.tools.e2fsck, ["-y", "-E", "journal_only", options.disk], bounded);
  const out = join(options.directory, "read-back");
  mkdirSync(join(out, "logs"), { recursive: true });
  const script = join(options.directory, "debugfs-commands");
  writeFileSync(
    script,
    [
      `rdump ${GUEST_RESULTS} ${out}`,
      ...LOGS.map((path) => `dump ${path} ${join(out, "logs", path.split("/").at(-1) ?? "")}`),
      "",
    ].join("\n"),
  );
  await runCommand(options.tools.debugfs, ["-f", script, options.disk], bounded);
  const files = new Map<string, string>();
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        files.set(
          relative(out, path).replace(/^tailvm-boot-check\//, ""),
          readFileSync(path, "utf8"),
        );
    }
  };
  walk(out);
  return files;
}
