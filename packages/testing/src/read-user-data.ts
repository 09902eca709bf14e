import { parse as parseYaml } from "yaml";

/**
 * What a booting VM would do with Tailscale, read from its user data.
 *
 * @example
 * ```ts
 * const plan: TailscaleBootPlan = readUserData(userData);
 * if (plan.authKey === undefined) console.log("this VM would never join");
 * ```
 */
export interface TailscaleBootPlan {
  /** The auth key `tailscale up` would present, or `undefined` when none could be found. */
  authKey: string | undefined;
  /** `--hostname`, else the cloud-config `hostname`, else `undefined` (the server name is used). */
  hostname: string | undefined;
  /** `--advertise-tags`, possibly empty. */
  tags: string[];
}

interface CloudConfigDocument {
  hostname?: unknown;
  write_files?: unknown;
  runcmd?: unknown;
}

/** Returns the cloud-config text and shell scripts carried by user data (plain or multi-part MIME). */
function splitUserData(userData: string): { cloudConfigs: string[]; scripts: string[] } {
  const trimmed = userData.replace(/^\uFEFF/, "");
  if (trimmed.startsWith("#cloud-config")) return { cloudConfigs: [trimmed], scripts: [] };
  if (trimmed.startsWith("#!")) return { cloudConfigs: [], scripts: [trimmed] };
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(trimmed)?.[1];
  if (!/^content-type:\s*multipart\//im.test(trimmed) || boundary === undefined) {
    return { cloudConfigs: [], scripts: [] };
  }
  const cloudConfigs: string[] = [];
  const scripts: string[] = [];
  for (const rawPart of trimmed.split(`--${boundary}`).slice(1)) {
    if (rawPart.startsWith("--")) break;
    const part = rawPart.replace(/^\r?\n/, "");
    const separator = /\r?\n\r?\n/.exec(part);
    if (!separator) continue;
    const headers = part.slice(0, separator.index);
    let body = part.slice(separator.index + separator[0].length).replace(/\r?\n$/, "");
    if (/^content-transfer-encoding:\s*base64/im.test(headers)) {
      body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    }
    const type = /^content-type:\s*([^;\r\n]+)/im.exec(headers)?.[1]?.trim().toLowerCase();
    if (type === "text/cloud-config" || body.startsWith("#cloud-config")) cloudConfigs.push(body);
    else if (type === "text/x-shellscript" || body.startsWith("#!")) scripts.push(body);
  }
  return { cloudConfigs, scripts };
}

/** Splits a shell command line into words (quotes honoured, no expansion). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? "");
  }
  return words;
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
    else if (["auth-key", "authkey", "hostname", "advertise-tags"].includes(name)) {
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

function findTailscaleUp(commands: string[][]): string[] | undefined {
  for (const argv of commands) {
    const start = argv.findIndex(
      (word, index) => /(^|\/)tailscale$/.test(word) && argv[index + 1] === "up",
    );
    if (start >= 0) return argv.slice(start + 2);
  }
  return undefined;
}

/**
 * Reads user data the way a booting VM would: parses the cloud-config with the `yaml` library
 * (plain, or the `text/cloud-config` part of multi-part MIME), finds the `tailscale up` command in
 * `runcmd` (argv array or shell string) or in a shell script part, and resolves
 * `--auth-key=file:PATH` from `write_files` (honouring `encoding: b64`).
 *
 * @example
 * ```ts
 * const plan = readUserData(server.user_data);
 * plan.authKey; // "tskey-auth-..."
 * ```
 */
export function readUserData(userData: string | null | undefined): TailscaleBootPlan {
  const plan: TailscaleBootPlan = { authKey: undefined, hostname: undefined, tags: [] };
  if (!userData) return plan;
  const { cloudConfigs, scripts } = splitUserData(userData);
  const files = new Map<string, string>();
  const commands: string[][] = [];
  let configHostname: string | undefined;

  for (const text of cloudConfigs) {
    let document: CloudConfigDocument;
    try {
      const parsed: unknown = parseYaml(text);
      if (parsed === null || typeof parsed !== "object") continue;
      document = parsed as CloudConfigDocument;
    } catch {
      continue;
    }
    if (typeof document.hostname === "string") configHostname = document.hostname;
    if (Array.isArray(document.write_files)) {
      for (const file of document.write_files as unknown[]) {
        if (file === null || typeof file !== "object") continue;
        const { path, content, encoding } = file as Record<string, unknown>;
        if (typeof path !== "string") continue;
        const raw = typeof content === "string" ? content : "";
        const decoded =
          typeof encoding === "string" && /^(b64|base64)$/i.test(encoding)
            ? Buffer.from(raw, "base64").toString("utf8")
            : raw;
        files.set(path, decoded);
      }
    }
    if (Array.isArray(document.runcmd)) {
      for (const entry of document.runcmd as unknown[]) {
        if (Array.isArray(entry)) commands.push(entry.map((word) => String(word)));
        else if (typeof entry === "string") commands.push(shellWords(entry));
      }
    }
  }
  for (const script of scripts) {
    for (const line of script.split(/\r?\n/)) commands.push(shellWords(line));
  }

  const upArgv = findTailscaleUp(commands);
  if (upArgv === undefined) return { ...plan, hostname: configHostname };
  const up = readTailscaleUp(upArgv);
  let authKey = up.authKey;
  if (authKey?.startsWith("file:")) {
    const content = files.get(authKey.slice("file:".length));
    authKey = content === undefined ? undefined : content.trim();
  }
  return {
    authKey: authKey === "" ? undefined : authKey,
    hostname: up.hostname ?? configHostname,
    tags: up.tags ?? [],
  };
}
