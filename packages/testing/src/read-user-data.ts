import { parse as parseYaml } from "yaml";

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
   * (or from the wrong distribution's repository), or no key file when `tailscale up` runs.
   * `undefined` when it would present {@link TailscaleBootPlan.authKey}.
   */
  problem: string | undefined;
}

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
}

interface CloudConfigDocument {
  hostname?: unknown;
  write_files?: unknown;
  bootcmd?: unknown;
  runcmd?: unknown;
  packages?: unknown;
  apt?: unknown;
}

interface ScriptPart {
  name: string;
  body: string;
}

/** Returns the cloud-config text and shell scripts carried by user data (plain or multi-part MIME). */
function splitUserData(userData: string): { cloudConfigs: string[]; scripts: ScriptPart[] } {
  const trimmed = userData.replace(/^\uFEFF/, "");
  if (trimmed.startsWith("#cloud-config")) return { cloudConfigs: [trimmed], scripts: [] };
  if (trimmed.startsWith("#!"))
    return { cloudConfigs: [], scripts: [{ name: "part-001", body: trimmed }] };
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(trimmed)?.[1];
  if (!/^content-type:\s*multipart\//im.test(trimmed) || boundary === undefined) {
    return { cloudConfigs: [], scripts: [] };
  }
  const cloudConfigs: string[] = [];
  const scripts: ScriptPart[] = [];
  let partNumber = 0;
  for (const rawPart of trimmed.split(`--${boundary}`).slice(1)) {
    if (rawPart.startsWith("--")) break;
    const part = rawPart.replace(/^\r?\n/, "");
    const separator = /\r?\n\r?\n/.exec(part);
    if (!separator) continue;
    partNumber += 1;
    const headers = part.slice(0, separator.index);
    let body = part.slice(separator.index + separator[0].length).replace(/\r?\n$/, "");
    if (/^content-transfer-encoding:\s*base64/im.test(headers)) {
      body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    }
    const type = /^content-type:\s*([^;\r\n]+)/im.exec(headers)?.[1]?.trim().toLowerCase();
    const filename = /filename="?([^";\r\n]+)"?/i.exec(headers)?.[1];
    if (type === "text/cloud-config" || body.startsWith("#cloud-config")) cloudConfigs.push(body);
    else if (type === "text/x-shellscript" || body.startsWith("#!")) {
      scripts.push({ name: filename ?? `part-${String(partNumber).padStart(3, "0")}`, body });
    }
  }
  return { cloudConfigs, scripts };
}

/** Splits a shell command line into words (quotes honoured, no expansion). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern =
    /"((?:[^"\\]|\\.)*)"|'([^']*)'|(&&|\|\||[;|])|([^\s"';|&]+(?:&(?!&)[^\s"';|&]*)*)/g;
  for (const match of line.matchAll(pattern)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? "");
  }
  return words;
}

const SEPARATORS = new Set([";", "&&", "||", "|"]);

/** One shell line as the simple commands it runs, in order (`a && b; c | d` gives four). */
function simpleCommands(line: string): string[][] {
  const commands: string[][] = [[]];
  for (const word of shellWords(line)) {
    if (SEPARATORS.has(word)) commands.push([]);
    else commands.at(-1)?.push(word);
  }
  return commands.filter((command) => command.length > 0);
}

/** A boot step: the line as written (for install detection) and the simple commands it runs. */
interface Step {
  line: string;
  commands: string[][];
}

function stepOf(entry: unknown): Step | undefined {
  if (Array.isArray(entry)) {
    const argv = entry.map((word) => String(word));
    // `sh -c "..."` runs its argument as a shell line.
    if (/(^|\/)(ba|da)?sh$/.test(argv[0] ?? "") && argv[1] === "-c" && argv[2] !== undefined) {
      return { line: argv[2], commands: simpleCommands(argv[2]) };
    }
    return { line: argv.join(" "), commands: [argv] };
  }
  if (typeof entry === "string") return { line: entry, commands: simpleCommands(entry) };
  return undefined;
}

function stepsOf(list: unknown): Step[] {
  if (!Array.isArray(list)) return [];
  return list.map(stepOf).filter((step): step is Step => step !== undefined);
}

/** Reads the flags of a `tailscale up` argv (after `up`). */
function readTailscaleUp(argv: string[]): { authKey?: string; hostname?: string; tags?: string[] } {
  const flags: Record<string, string> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? "";
    const match = /^--?([a-z-]+)(?:=(.*))?$/.exec(argument);
    if (!match) continue;
    const [, name = "", inline] = match;
    if (inline !== undefined) flags[name] = inline;
    else if (["auth-key", "authkey", "hostname", "advertise-tags", "timeout"].includes(name)) {
      flags[name] = argv[index + 1] ?? "";
      index += 1;
    }
  }
  const authKey = flags["auth-key"] ?? flags.authkey;
  const tags = flags["advertise-tags"];
  return {
    ...(authKey !== undefined ? { authKey } : {}),
    ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
    ...(tags !== undefined
      ? {
          tags: tags
            .split(",")
            .map((tag) => tag.trim())
            .filter(Boolean),
        }
      : {}),
  };
}

/** The words after `tailscale up` when `argv` runs it. */
function tailscaleUpFlags(argv: string[]): string[] | undefined {
  const start = argv.findIndex(
    (word, index) => /(^|\/)tailscale$/.test(word) && argv[index + 1] === "up",
  );
  return start >= 0 ? argv.slice(start + 2) : undefined;
}

const INSTALL_SCRIPT = /(^|[/\s"'])tailscale\.com\/install\.sh\b/;
const TAILSCALE_APT_SOURCE = /pkgs\.tailscale\.com\/(?:un)?stable\/([a-z]+)\b/;

function listsTailscalePackage(packages: unknown): boolean {
  if (!Array.isArray(packages)) return false;
  return packages.some((entry) => {
    const name = Array.isArray(entry) ? entry[0] : entry;
    return typeof name === "string" && /^tailscale(=.*)?$/.test(name);
  });
}

/** The distributions of the apt sources on pkgs.tailscale.com. */
function tailscaleAptDistributions(apt: unknown): string[] {
  if (apt === null || typeof apt !== "object") return [];
  const sources = (apt as { sources?: unknown }).sources;
  if (sources === null || typeof sources !== "object") return [];
  const found: string[] = [];
  for (const source of Object.values(sources as Record<string, unknown>)) {
    if (source === null || typeof source !== "object") continue;
    const line = (source as { source?: unknown }).source;
    const distribution =
      typeof line === "string" ? TAILSCALE_APT_SOURCE.exec(line)?.[1] : undefined;
    if (distribution !== undefined) found.push(distribution);
  }
  return found;
}

/** `ubuntu` for `ubuntu-24.04`, `debian` for `debian-12`, else undefined. */
function imageFamily(image: string | undefined): string | undefined {
  return image === undefined ? undefined : /^(ubuntu|debian)-/.exec(image)?.[1];
}

/**
 * Reads user data the way a booting VM would and works out what it does with Tailscale. It
 * parses the cloud-config with the `yaml` library (plain, or the `text/cloud-config` part of
 * multi-part MIME) and replays cloud-init's order: `bootcmd`; `write_files` (`encoding: b64`
 * honoured, `defer: true` files only after the scripts); `apt.sources` and `packages`; then the
 * shell-script parts and `runcmd` (argv arrays or shell strings), in order, following `rm` of
 * files. Tailscale counts as installed from the `packages` entry `tailscale` with an apt source on
 * pkgs.tailscale.com for the image's family (`/stable/ubuntu` for ubuntu-*, `/stable/debian` for
 * debian-*), or from a line that runs https://tailscale.com/install.sh. The first `tailscale up`
 * decides: its `--auth-key` (or `--auth-key=file:PATH`, read from the files as they are at that
 * moment), `--hostname` and `--advertise-tags`. Other flags (`--timeout`, `--ssh`, ...) are ignored.
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
  };
  if (!userData) return { ...plan, problem: "the server has no user data" };
  const { cloudConfigs, scripts } = splitUserData(userData);
  const files = new Map<string, string>();
  const deferredFiles = new Map<string, string>();
  const bootSteps: Step[] = [];
  const runSteps: Step[] = [];
  const packageLists: unknown[] = [];
  const aptDistributions: string[] = [];

  for (const text of cloudConfigs) {
    let document: CloudConfigDocument;
    try {
      const parsed: unknown = parseYaml(text);
      if (parsed === null || typeof parsed !== "object") continue;
      document = parsed as CloudConfigDocument;
    } catch {
      continue;
    }
    if (typeof document.hostname === "string") plan.hostname = document.hostname;
    if (Array.isArray(document.write_files)) {
      for (const file of document.write_files as unknown[]) {
        if (file === null || typeof file !== "object") continue;
        const { path, content, encoding, defer } = file as Record<string, unknown>;
        if (typeof path !== "string") continue;
        const raw = typeof content === "string" ? content : "";
        const decoded =
          typeof encoding === "string" && /^(b64|base64)$/i.test(encoding)
            ? Buffer.from(raw, "base64").toString("utf8")
            : raw;
        (defer === true ? deferredFiles : files).set(path, decoded);
      }
    }
    bootSteps.push(...stepsOf(document.bootcmd));
    runSteps.push(...stepsOf(document.runcmd));
    packageLists.push(document.packages);
    aptDistributions.push(...tailscaleAptDistributions(document.apt));
  }

  let install: TailscaleInstall | undefined;
  let installProblem = "nothing installs it";
  const family = imageFamily(options.image);
  const runsInstallScript = (step: Step) => INSTALL_SCRIPT.test(step.line);
  if (bootSteps.some(runsInstallScript)) install = { method: "script" };
  else if (packageLists.some(listsTailscalePackage)) {
    const matching = aptDistributions.find(
      (distribution) => family === undefined || distribution === family,
    );
    if (matching !== undefined) install = { method: "apt", distribution: matching };
    else if (aptDistributions.length === 0) {
      installProblem = "packages lists tailscale but no apt source is on pkgs.tailscale.com";
    } else {
      installProblem = `the apt source is for ${aptDistributions[0]} but the image is ${options.image} (use https://pkgs.tailscale.com/stable/${family})`;
    }
  }

  // cloud-init's scripts-user runs the shell-script parts and the runcmd script by file name.
  const scriptSteps = [
    ...scripts.map((script) => ({
      name: script.name,
      steps: script.body.split(/\r?\n/).map((line) => ({ line, commands: simpleCommands(line) })),
    })),
    { name: "runcmd", steps: runSteps },
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  for (const step of [...bootSteps, ...scriptSteps.flatMap((script) => script.steps)]) {
    if (install === undefined && runsInstallScript(step)) install = { method: "script" };
    for (const argv of step.commands) {
      if (/(^|\/)rm$/.test(argv[0] ?? "")) {
        for (const word of argv.slice(1)) if (!word.startsWith("-")) files.delete(word);
        continue;
      }
      const flags = tailscaleUpFlags(argv);
      if (flags === undefined) continue;
      const up = readTailscaleUp(flags);
      const result: TailscaleBootPlan = {
        ...plan,
        hostname: up.hostname ?? plan.hostname,
        tags: up.tags ?? [],
        install,
      };
      if (install === undefined) {
        return {
          ...result,
          problem: `tailscale is not installed when tailscale up runs: ${installProblem}`,
        };
      }
      let authKey = up.authKey;
      if (authKey?.startsWith("file:")) {
        const path = authKey.slice("file:".length);
        const content = files.get(path);
        if (content === undefined) {
          const why = deferredFiles.has(path)
            ? "it is written with defer: true, after the scripts"
            : "it was never written or was removed before";
          return { ...result, problem: `the auth key file ${path} is missing: ${why}` };
        }
        authKey = content.trim();
      }
      if (authKey === undefined || authKey === "") {
        return { ...result, problem: "tailscale up is given no auth key" };
      }
      return { ...result, authKey };
    }
  }
  return { ...plan, install, problem: "the user data never runs tailscale up" };
}
