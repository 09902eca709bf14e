import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { anySignal } from "@tailvm/internal";
import { assembleResult } from "./assemble-result.js";
import type { BootCheckResult } from "./boot-result.js";
import { type BuiltImage, ensureImage } from "./build-image.js";
import { checkBootOptions, checkCheckerOptions } from "./check-options.js";
import { BootCheckError, BootCheckUnavailableError } from "./errors.js";
import {
  BOOT_CHECK_TOOLS,
  findBootCheckProblems,
  resolveCacheDirectory,
} from "./find-boot-check-problems.js";
import { detectAccelerator, detectMirror, findHostTools, type HostTools } from "./host-tools.js";
import { BOOT_IMAGES, type BootImage, imageRecipe } from "./images.js";
import { type BootCheckLogger, silentLogger } from "./logger.js";
import { readBack } from "./read-back.js";
import { startRepositoryServer } from "./repository-server.js";
import { runChecked } from "./run-command.js";
import { GUEST_SERVER_ADDRESS, runVm } from "./run-vm.js";
import { makeSeed } from "./seed.js";
import { createStubRepository, type StubRepository } from "./stub-repository.js";
import { rewriteForStubRepository } from "./stub-rewrite.js";

/**
 * Options for {@link createBootChecker}.
 *
 * @example
 * ```ts
 * const checker = createBootChecker({ bootTimeoutMs: 6 * 60_000, logger: stderrLogger });
 * ```
 */
export interface BootCheckerOptions {
  /** Where built images are kept between runs; default `$TAILVM_BOOT_CACHE` or `~/.cache/tailvm/boot`. */
  cacheDirectory?: string;
  /** The Debian mirror images are built from; default `$TAILVM_BOOT_MIRROR` or this machine's apt mirror. */
  mirror?: string;
  /** `auto` (default) uses KVM where it can run a stock kernel, else TCG (software emulation). */
  accelerator?: "auto" | "kvm" | "tcg";
  /** Guest memory; default 2048. */
  memoryMb?: number;
  /**
   * Guest CPUs; default 2 under KVM and 1 under TCG, where a second vCPU gains little for a boot
   * and, on a busy host, stalls the guest in soft lockups.
   */
  cpus?: number;
  /** How long one boot may take before the VM is stopped; default 10 minutes. */
  bootTimeoutMs?: number;
  /** Where each boot's working files go (a copy of the image, the seed); default the OS temp directory. */
  workDirectory?: string;
  /** Keep each boot's working directory (the disk copy, console log) for inspection. */
  keepWorkDirectories?: boolean;
  /**
   * Build and boot at the lowest CPU priority (`nice -n 19`), so that whatever else runs on the
   * machine (a test suite) goes first; a boot then takes longer on a busy machine. Default false.
   */
  lowPriority?: boolean;
  logger?: BootCheckLogger;
  fetch?: typeof globalThis.fetch;
  /** Aborts every build and boot of this checker. */
  signal?: AbortSignal;
}

/**
 * One boot for {@link BootChecker.check}.
 *
 * @example
 * ```ts
 * await checker.check({ userData: readFileSync("user-data.yaml", "utf8"), image: "debian-13" });
 * ```
 */
export interface BootCheckOptions {
  /** The user data exactly as a server would get it (`#cloud-config`, a script or multi-part MIME). */
  userData: string;
  /** Default `debian-12`. */
  image?: BootImage;
  /** The NoCloud `local-hostname`; default `boot-check`. */
  hostname?: string;
  /**
   * Replace Tailscale's repository in the user data with the checker's local one, which serves a
   * stub `tailscale` that records `tailscale up` (default true): the guest reaches no internet.
   */
  stubTailscale?: boolean;
  signal?: AbortSignal;
}

/**
 * Boots user data through real cloud-init. Made by {@link createBootChecker}.
 *
 * @example
 * ```ts
 * const checker = createBootChecker();
 * try { console.log(formatBootCheckReport(await checker.check({ userData }))); } finally { await checker.close(); }
 * ```
 */
export interface BootChecker {
  /** Builds (or finds in the cache) the images and the stub repository ahead of the first boot. */
  prepare(images?: readonly BootImage[]): Promise<void>;
  /** Boots `userData` once, in a fresh copy of the image. */
  check(options: BootCheckOptions): Promise<BootCheckResult>;
  /** The stub repository as the guest reaches it (URL without the distribution) and its key. */
  stubRepository(): Promise<{ url: string; fingerprint: string }>;
  /** Removes the working files. The image cache stays. */
  close(): Promise<void>;
}

/**
 * Makes a boot checker: it builds minimal Debian 12 and 13 images with mmdebstrap (cached under
 * `~/.cache/tailvm/boot/`, keyed by the image recipe), then boots each user data in a fresh copy
 * under qemu-system-x86_64 with a NoCloud seed. The guest's network reaches nothing but a local
 * server (a guestfwd): it serves a signed apt repository with a stub `tailscale` and receives boot
 * reports. After the guest powers off, the results are read from its disk with debugfs.
 *
 * @example
 * ```ts
 * import { createBootChecker, formatBootCheckReport } from "@tailvm/boot-check";
 * const checker = createBootChecker({ bootTimeoutMs: 10 * 60_000 });
 * try {
 *   const result = await checker.check({ userData, image: "debian-13" });
 *   process.stdout.write(formatBootCheckReport(result));
 * } finally {
 *   await checker.close();
 * }
 * ```
 */
export function createBootChecker(options: BootCheckerOptions = {}): BootChecker {
  checkCheckerOptions(options);
  const logger = options.logger ?? silentLogger;
  const cacheDirectory = resolveCacheDirectory(options.cacheDirectory);
  const mirror = options.mirror ?? process.env.TAILVM_BOOT_MIRROR ?? detectMirror();
  const accelerator =
    options.accelerator === undefined || options.accelerator === "auto"
      ? detectAccelerator()
      : options.accelerator;
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const niceness = options.lowPriority === true ? 19 : undefined;
  mkdirSync(options.workDirectory ?? tmpdir(), { recursive: true });
  const work = mkdtempSync(join(options.workDirectory ?? tmpdir(), "tailvm-boot-check-"));
  const images = new Map<BootImage, Promise<BuiltImage>>();
  let repository: Promise<StubRepository> | undefined;
  let closed = false;

  const tools = (): HostTools => {
    const problems = findBootCheckProblems({ cacheDirectory, images: [] });
    if (problems.length > 0) throw new BootCheckUnavailableError(problems);
    return findHostTools(BOOT_CHECK_TOOLS).tools as HostTools;
  };
  const image = (name: BootImage): Promise<BuiltImage> => {
    let pending = images.get(name);
    if (pending === undefined) {
      const problems = findBootCheckProblems({ cacheDirectory, images: [name] });
      if (problems.length > 0) return Promise.reject(new BootCheckUnavailableError(problems));
      const { mmdebstrap, mkfsExt4 } = findHostTools(["mmdebstrap", "mkfsExt4"]).tools;
      pending = ensureImage({
        image: name,
        cacheDirectory,
        mirror,
        tools: { mmdebstrap: mmdebstrap ?? "mmdebstrap", mkfsExt4: mkfsExt4 ?? "mkfs.ext4" },
        fetch: fetchImplementation,
        logger,
        signal: options.signal,
        niceness,
      });
      pending.catch(() => images.delete(name));
      images.set(name, pending);
    }
    return pending;
  };
  const stub = (): Promise<StubRepository> => {
    if (repository === undefined) {
      const directory = join(work, "repository");
      mkdirSync(directory, { recursive: true });
      repository = createStubRepository({
        directory,
        codenames: BOOT_IMAGES.map((name) => imageRecipe(name).suite),
        tools: tools(),
        signal: options.signal,
      });
      repository.catch(() => {
        repository = undefined;
      });
    }
    return repository;
  };
  const stubUrl = `http://${GUEST_SERVER_ADDRESS}/stable`;

  return {
    async prepare(names = BOOT_IMAGES) {
      await Promise.all([stub(), ...names.map(image)]);
    },

    async stubRepository() {
      return { url: stubUrl, fingerprint: (await stub()).fingerprint };
    },

    async check(check) {
      if (closed) {
        throw new BootCheckError("This boot checker is closed: create another one.", {
          phase: "input",
        });
      }
      checkBootOptions(check);
      const hostTools = tools();
      const signal = anySignal(options.signal, check.signal);
      const name = check.image ?? "debian-12";
      const built = await image(name);
      const repo = await stub();
      const booted =
        check.stubTailscale === false
          ? { userData: check.userData, rewritten: false }
          : rewriteForStubRepository(check.userData, {
              url: stubUrl,
              fingerprint: repo.fingerprint,
            });
      const instanceId = `boot-check-${randomBytes(6).toString("hex")}`;
      const directory = join(work, instanceId);
      const bootOnce = async (attempt: number) => {
        const attemptDirectory = join(directory, `attempt-${attempt}`);
        mkdirSync(attemptDirectory, { recursive: true });
        const server = await startRepositoryServer(repo.root);
        try {
          const disk = join(attemptDirectory, "disk.ext4");
          await runChecked(hostTools.cp, ["--sparse=always", built.rootfs, disk], {
            phase: "boot",
            what: "Copying the image",
            timeoutMs: 5 * 60_000,
            signal,
          });
          const seed = await makeSeed({
            directory: attemptDirectory,
            userData: booted.userData,
            instanceId,
            hostname: check.hostname ?? "boot-check",
            tools: hostTools,
            signal,
          });
          logger.info(`booting ${name} (${instanceId}) under ${accelerator.toUpperCase()}`);
          const vm = await runVm({
            directory: attemptDirectory,
            qemu: hostTools.qemu,
            accelerator,
            kernel: built.kernel,
            initrd: built.initrd,
            disk,
            seed,
            serverPort: server.port,
            memoryMb: options.memoryMb ?? 2048,
            cpus: options.cpus ?? (accelerator === "kvm" ? 2 : 1),
            timeoutMs: options.bootTimeoutMs ?? 10 * 60_000,
            signal,
            niceness,
          });
          logger.info(
            `${name} (${instanceId}) ${vm.timedOut ? "timed out" : "powered off"} after ${Math.round(vm.durationMs / 1000)} s`,
          );
          const files = await readBack({
            disk,
            directory: attemptDirectory,
            tools: hostTools,
            signal,
          });
          const result = assembleResult({
            image: name,
            instanceId,
            vm,
            files,
            server,
            userData: booted.userData,
          });
          // The guest stopped before its collector wrote anything, error included: the kernel
          // panicked (panic=-1 with -no-reboot ends QEMU at once) or the emulator died. That is
          // the harness failing, not cloud-init.
          const crashed =
            !vm.timedOut && !files.has("result.json") && !files.has("collector-error.txt");
          return { result, crashed };
        } finally {
          await server.close();
        }
      };
      try {
        const first = await bootOnce(1);
        if (!first.crashed) return first.result;
        logger.warn(
          `${name} (${instanceId}) stopped before its collector ran; booting it once more. Its console ended with:\n${first.result.logs.console.slice(-2_000)}`,
        );
        return (await bootOnce(2)).result;
      } finally {
        if (options.keepWorkDirectories !== true)
          rmSync(directory, { recursive: true, force: true });
      }
    },

    async close() {
      closed = true;
      await Promise.allSettled([...(repository ? [repository] : [])]);
      if (options.keepWorkDirectories !== true) rmSync(work, { recursive: true, force: true });
    },
  };
}
