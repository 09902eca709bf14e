import type { Mode } from "@tailvm/gh-runner";

/** A subcommand of `tailvm`. */
export type CommandName = Mode | "sim";

/** Each subcommand, in `tailvm --help` order, with its one-line summary. */
export const COMMANDS: Record<CommandName, string> = {
  provision:
    "Create a VM that joins your tailnet, wait until it is reachable there, and roll everything back if any step fails.",
  deprovision:
    "Delete a VM (by --job-id, or --server-id with --server-name, or --server-name) and its tailnet device; succeeds when it is already gone.",
  reap: "Delete tailvm servers whose ttl has passed, their devices, and offline tagged devices whose server is gone.",
  plan: "Show what provision would create (name, placement, labels, cloud-config), without credentials or requests.",
  sim: "Start the simulated Hetzner Cloud and Tailscale on loopback and print the settings that point tailvm at them.",
};

/**
 * How `tailvm` exits.
 *
 * @example
 * ```ts
 * process.exitCode = EXIT_CODES.failed;
 * ```
 */
export const EXIT_CODES = {
  /** Done: provisioned, deprovisioned (or already gone), reaped, planned. */
  ok: 0,
  /** The run failed: provisioning was rolled back (or the callback failed; the VM is kept), or something could not be deleted. */
  failed: 1,
  /** A usage error or invalid settings: nothing was sent to Hetzner or Tailscale. */
  usage: 2,
} as const;

/** The lines of the exit code table in `--help` and the README. */
export const EXIT_CODE_HELP = [
  "0  done (provisioned, deprovisioned or already gone, reaped, planned)",
  "1  failed: provisioning was rolled back, the VM is kept but its callback failed, or something could not be deleted",
  "2  usage error or invalid settings: nothing was sent to Hetzner or Tailscale",
];
