import { mergeCloudConfigs } from "./merge-cloud-configs.js";
import { readTailscaleUp } from "./read-tailscale-up.js";
import { parseShellCommands, type ShellWord } from "./shell-commands.js";
import {
  findTailscaleRepository,
  PKGS_TAILSCALE_COM,
  readDownload,
  type TailscaleRepository,
} from "./tailscale-repositories.js";
import {
  bootReportSettings,
  commandListOf,
  filesOf,
  parseCloudConfigs,
  splitUserData,
  writeFiles,
} from "./user-data-parts.js";

/**
 * How a booting VM would get Tailscale: from Tailscale's apt repository for `distribution`
 * (`packages` plus an `apt.sources` entry on pkgs.tailscale.com), or by its install script.
 *
 * @example
 * ```ts
 * const install: TailscaleInstall = { method: "apt", distribution: "debian" };
 * ```
 */
export type TailscaleInstall = { method: "apt"; distribution: string } | { method: "script" };

/**
 * What a booting VM would do with Tailscale, read from its user data.
 *
 * @example
 * ```ts
 * const plan: TailscaleBootPlan = readUserData(userData, { image: "debian-12" });
 * if (plan.problem !== undefined) console.log(`this VM would never join: ${plan.problem}`);
 * ```
 */
export interface TailscaleBootPlan {
  /** The auth key `tailscale up` would present, or `undefined` when none could be found. */
  authKey: string | undefined;
  /** `--hostname`, else the cloud-config `hostname`, else `undefined` (the server name is used). */
  hostname: string | undefined;
  /** `--advertise-tags`, possibly empty. */
  tags: string[];
  /** How Tailscale gets installed, or `undefined` when it never does. */
  install: TailscaleInstall | undefined;
  /**
   * Why this VM could never join, whatever its key: no `tailscale up`, Tailscale not installed
   * (or from the wrong distribution's or an unsigned repository), `tailscale up` exiting on its
   * arguments, a key from a shell expansion, or no key file when `tailscale up` runs.
   * `undefined` when it would present {@link TailscaleBootPlan.authKey}.
   */
  problem: string | undefined;
  /** The cloud-init module `tailscale up` runs in, or `undefined` when nothing runs it. */
  tailscaleUpIn: BootModule | undefined;
  /**
   * The first cloud-init module the user data alone makes fail, as a boot report names it: the
   * keyring download in `bootcmd`, the apt install (`package_update_upgrade_install`), or the
   * module running `tailscale up` when it exits on its arguments, finds no `tailscale` or no key
   * file. `undefined` when none does (the key itself is checked when the VM boots).
   */
  failingModule: BootModule | undefined;
  /**
   * Where the VM would send its boot report (`bootReport()` of `@tailvm/cloud-init` writes these
   * settings to `/run/tailvm/boot-report.json`), or `undefined` when it sends none.
   */
  bootReport: { url: string; token: string } | undefined;
}

/**
 * A cloud-init module and the stage it runs in, as /run/cloud-init/status.json names them.
 *
 * @example
 * ```ts
 * const module: BootModule = { stage: "modules-final", module: "scripts-user" };
 * ```
 */
export interface BootModule {
  stage: "init" | "modules-config" | "modules-final";
  module: string;
}

const BOOTCMD: BootModule = { stage: "init", module: "bootcmd" };
const SCRIPTS_USER: BootModule = { stage: "modules-final", module: "scripts-user" };
const PACKAGES: BootModule = { stage: "modules-final", module: "package_update_upgrade_install" };

/**
 * Options for {@link readUserData}.
 *
 * @example
 * ```ts
 * readUserData(userData, { image: "ubuntu-24.04" });
 * ```
 */
export interface ReadUserDataOptions {
  /** The server's image (`ubuntu-24.04`, `debian-12`): the apt repository must be for its family. */
  image?: string;
  /**
   * More repositories with Tailscale's layout, such as a mirror or a local test repository, and
   * the key each serves; pkgs.tailscale.com (with Tailscale's key) always counts.
   */
  tailscaleRepositories?: TailscaleRepository[];
}

const INSTALL_SCRIPT = /(^|[/\s"'])tailscale\.com\/install\.sh\b/;
function listsTailscalePackage(packages: unknown): boolean {
  if (!Array.isArray(packages)) return false;
  return packages.some((entry) => {
    const name = Array.isArray(entry) ? entry[0] : entry;
    return typeof name === "string" && /^tailscale(=.*)?$/.test(name);
  });
}

interface TailscaleAptSource {
  distribution: string;
  /** A key for apt to check the repository with: `key`, `keyid` or an existing `signed-by` file. */
  signed: boolean;
  keyring: string | undefined;
}

/** The Tailscale apt sources, given the files that exist when apt-configure runs. */
function tailscaleAptSources(
  apt: unknown,
  files: ReadonlyMap<string, string>,
  downloaded: ReadonlySet<string>,
  repositories: readonly TailscaleRepository[],
): TailscaleAptSource[] {
  if (apt === null || typeof apt !== "object") return [];
  const sources = (apt as { sources?: unknown }).sources;
  if (sources === null || typeof sources !== "object") return [];
  const found: TailscaleAptSource[] = [];
  for (const source of Object.values(sources as Record<string, unknown>)) {
    if (source === null || typeof source !== "object") continue;
    const { source: line, key, keyid } = source as Record<string, unknown>;
    const distribution =
      typeof line === "string"
        ? findTailscaleRepository(line, repositories)?.distribution
        : undefined;
    if (distribution === undefined) continue;
    const hasKey = [key, keyid].some((value) => typeof value === "string" && value.trim() !== "");
    const keyring = /signed-by=([^\s\]]+)/.exec(String(line))?.[1];
    const keyringExists =
      keyring !== undefined &&
      !keyring.includes("$") &&
      (files.has(keyring) || downloaded.has(keyring));
    found.push({ distribution, signed: hasKey || keyringExists, keyring });
  }
  return found;
}

/** `ubuntu` for `ubuntu-24.04`, `debian` for `debian-12`, else undefined. */
function imageFamily(image: string | undefined): string | undefined {
  return image === undefined ? undefined : /^(ubuntu|debian)-/.exec(image)?.[1];
}

const runsInstallScript = (command: readonly ShellWord[]): boolean =>
  command.some((word) => INSTALL_SCRIPT.test(word.text));

/**
 * Reads user data the way a booting VM would and works out what it does with Tailscale. It
 * parses the cloud-config with the `yaml` library (YAML 1.1, as cloud-init's PyYAML does; plain, or
 * the `text/cloud-config` parts of multi-part MIME, merged as cloud-init merges them: by default a
 * later part's top-level key replaces the earlier one) and replays cloud-init's module order:
 * init stage `bootcmd`, then `write_files`; config stage `apt` sources; final stage `packages`,
 * then `write_files` with `defer: true`, then the shell-script parts and `runcmd` in file-name
 * order. Files follow `write_files` (`encoding` b64, base64, gz, gzip and gz+b64 variants decoded,
 * `append` honoured) and `rm`. Shell strings are split into simple commands the way sh would
 * (quotes, escapes, comments, line continuations); `tailscale` must be the command word, possibly
 * behind `sudo`, `env` or `VAR=value`. Tailscale counts as installed from the `packages` entry
 * `tailscale` with a signed apt source (`key`, `keyid`, or a `signed-by` keyring file that exists:
 * written by `write_files` or downloaded by a `bootcmd` command with a URL and that path among its
 * arguments, unless its `--fingerprint=` pin differs from the key the repository serves) on
 * pkgs.tailscale.com (or `tailscaleRepositories`) for the image's family, or from a command that
 * fetches
 * https://tailscale.com/install.sh. The first `tailscale up` decides: its flags are parsed like Go's
 * `flag` package, and its `--auth-key` (or `file:PATH`, read from the files as they are at that
 * moment), `--hostname` and `--advertise-tags` are read; a key from `$VAR` or `$(...)` is not
 * evaluated and gives a problem.
 *
 * @example
 * ```ts
 * const plan = readUserData(server.user_data, { image: server.image });
 * plan.authKey; // "tskey-auth-..."
 * plan.problem; // undefined, or e.g. "tailscale is not installed: ..."
 * ```
 */
export function readUserData(
  userData: string | null | undefined,
  options: ReadUserDataOptions = {},
): TailscaleBootPlan {
  const plan: TailscaleBootPlan = {
    authKey: undefined,
    hostname: undefined,
    tags: [],
    install: undefined,
    problem: undefined,
    tailscaleUpIn: undefined,
    failingModule: undefined,
    bootReport: undefined,
  };
  if (!userData) return { ...plan, problem: "the server has no user data" };
  const { cloudConfigs, scripts } = splitUserData(userData);
  const config = mergeCloudConfigs(parseCloudConfigs(cloudConfigs));
  if (typeof config.hostname === "string") plan.hostname = config.hostname;
  const written = filesOf(config.write_files);
  plan.bootReport = bootReportSettings(written);
  const files = new Map<string, string>();

  let install: TailscaleInstall | undefined;
  let installProblem = "nothing installs it";
  let installFailure: BootModule | undefined;
  let stage: "bootcmd" | "scripts" = "bootcmd";
  const repositories = [...PKGS_TAILSCALE_COM, ...(options.tailscaleRepositories ?? [])];
  const downloaded = new Set<string>();
  const refusedKeyrings = new Map<string, string>();

  /** The plan when `command` runs `tailscale up`, else `undefined`. */
  const run = (command: readonly ShellWord[]): TailscaleBootPlan | undefined => {
    if (install === undefined && runsInstallScript(command)) install = { method: "script" };
    if (stage === "bootcmd") {
      const download = readDownload(command, repositories);
      for (const path of download.paths) {
        if (download.refused === undefined) downloaded.add(path);
        else refusedKeyrings.set(path, download.refused);
      }
    }
    const argv = command.map((word) => word.text);
    if (/(^|\/)rm$/.test(argv[0] ?? "")) {
      for (const word of argv.slice(1)) if (!word.startsWith("-")) files.delete(word);
      return undefined;
    }
    const up = readTailscaleUp(command);
    if (up === undefined) return undefined;
    const upIn = stage === "bootcmd" ? BOOTCMD : SCRIPTS_USER;
    if (up.error !== undefined) {
      return { ...plan, install, problem: up.error, tailscaleUpIn: upIn, failingModule: upIn };
    }
    const result: TailscaleBootPlan = {
      ...plan,
      hostname: up.hostname ?? plan.hostname,
      tags: up.tags,
      install,
      tailscaleUpIn: upIn,
    };
    if (install === undefined) {
      const why =
        stage === "bootcmd" && listsTailscalePackage(config.packages)
          ? "bootcmd runs before packages are installed"
          : installProblem;
      return {
        ...result,
        problem: `tailscale is not installed when tailscale up runs: ${why}`,
        failingModule: installFailure ?? upIn,
      };
    }
    if (up.authKey?.expanded) {
      return {
        ...result,
        problem:
          "tailscale up takes its auth key from a shell expansion ($VAR, $(...) or `...`), which the simulated VM does not evaluate: pass --auth-key=file:PATH or the key itself",
      };
    }
    let authKey = up.authKey?.text;
    if (authKey?.startsWith("file:")) {
      const path = authKey.slice("file:".length);
      const content = files.get(path);
      if (content === undefined) {
        const why =
          stage === "bootcmd" && written.some((file) => file.path === path)
            ? "it is written by write_files, which runs after bootcmd"
            : "it was never written or was removed before";
        return {
          ...result,
          problem: `the auth key file ${path} is missing: ${why}`,
          failingModule: upIn,
        };
      }
      authKey = content.trim();
    }
    if (authKey === undefined || authKey === "") {
      return { ...result, problem: "tailscale up is given no auth key" };
    }
    return { ...result, authKey };
  };

  // Init stage: bootcmd, then write_files.
  for (const command of commandListOf(config.bootcmd)) {
    const outcome = run(command);
    if (outcome !== undefined) return outcome;
  }
  writeFiles(
    files,
    written.filter((file) => !file.defer),
  );

  // Config stage: apt sources; final stage: packages, then the deferred files.
  if (install === undefined && listsTailscalePackage(config.packages)) {
    const family = imageFamily(options.image);
    const sources = tailscaleAptSources(config.apt, files, downloaded, repositories);
    const forImage = sources.filter(
      (source) => family === undefined || source.distribution === family,
    );
    const signed = forImage.find((source) => source.signed);
    const refused = forImage
      .map((source) => refusedKeyrings.get(source.keyring ?? ""))
      .find((problem) => problem !== undefined);
    if (signed !== undefined) {
      install = { method: "apt", distribution: signed.distribution };
    } else {
      // A refused keyring fails bootcmd (its download exits non-zero); any other way of getting
      // no signed source fails the apt install.
      installFailure = refused === undefined ? PACKAGES : BOOTCMD;
      installProblem = noInstallReason(sources, forImage, refused, options.image, family);
    }
  }
  writeFiles(
    files,
    written.filter((file) => file.defer),
  );

  // Final stage, scripts-user: the shell-script parts and the runcmd script, by file name.
  stage = "scripts";
  const userScripts = [
    ...scripts.map((script) => ({ name: script.name, commands: parseShellCommands(script.body) })),
    { name: "runcmd", commands: commandListOf(config.runcmd) },
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const command of userScripts.flatMap((script) => script.commands)) {
    const outcome = run(command);
    if (outcome !== undefined) return outcome;
  }
  return { ...plan, install, problem: "the user data never runs tailscale up" };
}

/** Why apt installs no Tailscale from the sources found. */
function noInstallReason(
  sources: readonly { distribution: string }[],
  forImage: readonly unknown[],
  refused: string | undefined,
  image: string | undefined,
  family: string | undefined,
): string {
  if (sources.length === 0) {
    return "packages lists tailscale but no apt source is on pkgs.tailscale.com";
  }
  if (refused !== undefined) return refused;
  if (forImage.length > 0) {
    return "the apt source on pkgs.tailscale.com has no key, keyid or existing signed-by keyring, and apt refuses an unsigned repository (install Tailscale's keyring at the signed-by path from bootcmd or write_files, or add key: or keyid:)";
  }
  return `the apt source is for ${sources[0]?.distribution} but the image is ${image} (use https://pkgs.tailscale.com/stable/${family})`;
}
