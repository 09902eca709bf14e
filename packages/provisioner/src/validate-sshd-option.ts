import { describe, isPlainObject } from "./option-values.js";
import type { SshdMode } from "./types.js";

const SSHD_MODES: readonly SshdMode[] = ["everywhere", "tailnet", "off"];

/** Reports the problems of `sshd`, alone and with `tailscale.ssh` and `publicAccess.ssh`. */
export function validateSshdOption(
  options: Record<string, unknown>,
  problem: (field: string, message: string) => void,
): void {
  const { sshd } = options;
  if (sshd === undefined || sshd === "everywhere") return;
  if (!SSHD_MODES.includes(sshd as SshdMode)) {
    problem(
      "sshd",
      `must be "everywhere" (the default: sshd as the image has it, behind the firewall), "tailnet" (sshd on the tailnet addresses only) or "off" (sshd disabled, Tailscale SSH only); got ${describe(sshd)}`,
    );
    return;
  }
  const tailscale = isPlainObject(options.tailscale) ? options.tailscale : {};
  if (sshd === "off" && tailscale.ssh !== true) {
    problem(
      "sshd",
      '"off" needs tailscale.ssh: true: with sshd disabled and no Tailscale SSH the VM has no way in; set tailscale.ssh: true, or use sshd: "tailnet"',
    );
  }
  const publicAccess = isPlainObject(options.publicAccess) ? options.publicAccess : {};
  if (publicAccess.ssh === true) {
    problem(
      "sshd",
      `${JSON.stringify(sshd)} cannot be combined with publicAccess.ssh: true: sshd would not answer on the public port 22 it opens; leave publicAccess.ssh out, or use sshd: "everywhere"`,
    );
  }
}
