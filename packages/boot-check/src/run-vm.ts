import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BootCheckError } from "./errors.js";
import { runCommand } from "./run-command.js";

/** The address the guest reaches the boot checker's server at (QEMU user networking, guestfwd). */
export const GUEST_SERVER_ADDRESS = "10.0.2.100";

export interface RunVmOptions {
  directory: string;
  qemu: string;
  accelerator: "kvm" | "tcg";
  kernel: string;
  initrd: string;
  disk: string;
  seed: string;
  serverPort: number;
  memoryMb: number;
  cpus: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  niceness?: number | undefined;
}

export interface VmRun {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  consoleLog: string;
  qemuOutput: string;
}

/**
 * Connects one guest connection (QEMU runs it per connection, on its stdin and stdout) to the
 * server on the host. guestfwd's `tcp:` form serves a single connection for the VM's whole life;
 * `cmd:` starts this for each one. Nothing may reach stderr: QEMU hands that to the guest too.
 */
const RELAY = `import { connect } from "node:net";
const socket = connect(Number(process.argv[2]), "127.0.0.1");
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on("error", () => process.exit(1));
process.stdin.on("error", () => process.exit(1));
process.stdout.on("error", () => process.exit(1));
`;

/**
 * Boots the disk under qemu-system-x86_64 with the kernel and initrd given directly (no
 * bootloader) and waits until the guest powers off or `timeoutMs` runs out (then it is killed).
 * The network is `-netdev user,restrict=on`: the guest reaches nothing but the server, through a
 * guestfwd to {@link GUEST_SERVER_ADDRESS}:80.
 */
export async function runVm(options: RunVmOptions): Promise<VmRun> {
  const relay = join(options.directory, "relay.mjs");
  writeFileSync(relay, RELAY);
  const consoleLog = join(options.directory, "console.log");
  for (const path of [process.execPath, relay]) {
    if (/[\s,]/.test(path)) {
      throw new BootCheckError(
        `QEMU's guestfwd cannot run ${path}: its path has a space or comma. Use a cache and temporary directory without them.`,
        { phase: "boot" },
      );
    }
  }
  const forward = `guestfwd=tcp:${GUEST_SERVER_ADDRESS}:80-cmd:${process.execPath} ${relay} ${options.serverPort}`;
  const args = [
    ...(options.accelerator === "kvm"
      ? ["-accel", "kvm", "-cpu", "host"]
      : ["-accel", "tcg,thread=multi"]),
    "-m",
    String(options.memoryMb),
    "-smp",
    String(options.cpus),
    "-display",
    "none",
    "-monitor",
    "none",
    "-serial",
    `file:${consoleLog}`,
    "-no-reboot",
    "-kernel",
    options.kernel,
    "-initrd",
    options.initrd,
    "-append",
    // no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer check can time out
    // and panic ("IO-APIC + timer doesn't work!") before anything boots; the emulated timer works.
    "root=/dev/vda rw console=ttyS0 quiet panic=-1 no_timer_check net.ifnames=0 biosdevname=0",
    "-drive",
    `file=${options.disk},format=raw,if=virtio,cache=unsafe`,
    "-drive",
    `file=${options.seed},format=raw,if=virtio,readonly=on`,
    "-netdev",
    `user,id=net0,restrict=on,${forward}`,
    "-device",
    "virtio-net-pci,netdev=net0,romfile=",
  ];
  const started = Date.now();
  const result = await runCommand(options.qemu, args, {
    phase: "boot",
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    niceness: options.niceness,
  });
  let consoleText = "";
  try {
    consoleText = readFileSync(consoleLog, "utf8");
  } catch {}
  return {
    exitCode: result.code,
    timedOut: result.timedOut,
    durationMs: Date.now() - started,
    consoleLog: consoleText,
    qemuOutput: `${result.stdout}${result.stderr}`,
  };
}
