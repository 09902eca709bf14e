import program from "./sshd-tailnet.sh";

/**
 * The `sh` program `sshdAccess("tailnet")` installs and runs after `tailscale up`. It reads the
 * device's tailnet addresses (`tailscale ip -4`, `tailscale ip -6`), writes them as sshd's only
 * `ListenAddress` lines and, where sshd is socket-activated (Ubuntu 22.10 and later), as the only
 * `ListenStream` lines of `ssh.socket`, then restarts whichever of the two serves port 22. With no
 * tailnet address (the join failed) it falls back to loopback and exits 1, so sshd is never left
 * listening on a public address.
 *
 * It takes one optional argument, a directory that prefixes every path it reads and writes (for
 * tests). Safe to run again: each file is replaced whole. The files it reads and writes are
 * spelled out in `sshd-tailnet.sh`; `SSHD_NONLOCAL_BIND_SYSCTL_PATH` and `SSHD_TAILNET_CONFIG_PATH`
 * name the same files (a test holds them together).
 */
export const SSHD_TAILNET_SCRIPT: string = program;
