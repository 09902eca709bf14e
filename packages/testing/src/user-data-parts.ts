import { gunzipSync } from "node:zlib";
import { parse as parseYaml } from "yaml";
import type { CloudConfigPart } from "./merge-cloud-configs.js";
import { parseShellCommands, type ShellWord } from "./shell-commands.js";

// The pieces of user data as cloud-init reads them: the parts of a multi-part message, the
// cloud-config documents (YAML 1.1), command lists and the files write_files writes. What a VM
// then does with them is read-user-data.ts's.

interface ScriptPart {
  name: string;
  body: string;
}

interface SplitUserData {
  cloudConfigs: { text: string; mergeType?: string }[];
  scripts: ScriptPart[];
}

/** Returns the cloud-config parts and shell scripts carried by user data (plain or multi-part MIME). */
export function splitUserData(userData: string): SplitUserData {
  const trimmed = userData.replace(/^\uFEFF/, "");
  if (trimmed.startsWith("#cloud-config"))
    return { cloudConfigs: [{ text: trimmed }], scripts: [] };
  if (trimmed.startsWith("#!"))
    return { cloudConfigs: [], scripts: [{ name: "part-001", body: trimmed }] };
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(trimmed)?.[1];
  if (!/^content-type:\s*multipart\//im.test(trimmed) || boundary === undefined) {
    return { cloudConfigs: [], scripts: [] };
  }
  const result: SplitUserData = { cloudConfigs: [], scripts: [] };
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
    const mergeType = /^(?:x-)?merge-type:\s*([^\r\n]+)/im.exec(headers)?.[1]?.trim();
    if (type === "text/cloud-config" || body.startsWith("#cloud-config")) {
      result.cloudConfigs.push({ text: body, ...(mergeType !== undefined ? { mergeType } : {}) });
    } else if (type === "text/x-shellscript" || body.startsWith("#!")) {
      result.scripts.push({
        name: filename ?? `part-${String(partNumber).padStart(3, "0")}`,
        body,
      });
    }
  }
  return result;
}

/** Parses each cloud-config part as cloud-init does (YAML 1.1, as PyYAML reads it). */
export function parseCloudConfigs(texts: SplitUserData["cloudConfigs"]): CloudConfigPart[] {
  const parts: CloudConfigPart[] = [];
  for (const { text, mergeType } of texts) {
    try {
      const parsed: unknown = parseYaml(text, { version: "1.1" });
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) continue;
      parts.push({
        document: parsed as Record<string, unknown>,
        ...(mergeType !== undefined ? { mergeType } : {}),
      });
    } catch {
      // cloud-init skips a part it cannot parse.
    }
  }
  return parts;
}

const literal = (text: string): ShellWord => ({ text, expanded: false });

/** The simple commands of one `bootcmd`/`runcmd` entry: an argv runs as is, a string through sh. */
function commandsOf(entry: unknown): ShellWord[][] {
  if (Array.isArray(entry)) {
    const argv = entry.map((word) => String(word));
    // `sh -c "..."` runs its argument as a shell script.
    if (/(^|\/)(ba|da)?sh$/.test(argv[0] ?? "") && argv[1] === "-c" && argv[2] !== undefined) {
      return parseShellCommands(argv[2]);
    }
    return [argv.map(literal)];
  }
  return typeof entry === "string" ? parseShellCommands(entry) : [];
}

export const commandListOf = (list: unknown): ShellWord[][] =>
  Array.isArray(list) ? list.flatMap(commandsOf) : [];

export interface WrittenFile {
  path: string;
  content: string;
  append: boolean;
  defer: boolean;
}

/** cc_write_files' encodings: base64 first where named, then gzip. */
function decodeContent(content: unknown, encoding: unknown): string {
  const bytes =
    content instanceof Uint8Array
      ? Buffer.from(content)
      : Buffer.from(typeof content === "string" ? content : "", "utf8");
  const name = typeof encoding === "string" ? encoding.trim().toLowerCase() : "";
  const base64 = /^(b64|base64|gz\+b64|gz\+base64|gzip\+b64|gzip\+base64)$/.test(name);
  const gzip = /^(gz|gzip)(\+.*)?$/.test(name);
  const decoded = base64 ? Buffer.from(bytes.toString("utf8"), "base64") : bytes;
  return (gzip ? gunzipSync(decoded) : decoded).toString("utf8");
}

/**
 * The files `write_files` writes, in order. A file whose content cannot be decoded makes the
 * module fail there, as in cloud-init: it and the files after it are not written.
 */
export function filesOf(list: unknown): WrittenFile[] {
  if (!Array.isArray(list)) return [];
  const files: WrittenFile[] = [];
  for (const file of list as unknown[]) {
    if (file === null || typeof file !== "object") continue;
    const { path, content, encoding, append, defer } = file as Record<string, unknown>;
    if (typeof path !== "string") continue;
    let decoded: string;
    try {
      decoded = decodeContent(content, encoding);
    } catch {
      break;
    }
    files.push({ path, content: decoded, append: append === true, defer: defer === true });
  }
  return files;
}

export function writeFiles(files: Map<string, string>, written: readonly WrittenFile[]): void {
  for (const file of written) {
    files.set(file.path, (file.append ? (files.get(file.path) ?? "") : "") + file.content);
  }
}

/** Where `bootReport()` of `@tailvm/cloud-init` keeps its settings on the VM. */
const BOOT_REPORT_SETTINGS_PATH = "/run/tailvm/boot-report.json";

/** The URL and token `bootReport()` wrote for the VM's report program, if it did. */
export function bootReportSettings(
  written: readonly WrittenFile[],
): { url: string; token: string } | undefined {
  const file = written.findLast((entry) => entry.path === BOOT_REPORT_SETTINGS_PATH);
  if (!file) return undefined;
  try {
    const { url, token } = JSON.parse(file.content) as Record<string, unknown>;
    return typeof url === "string" && typeof token === "string" ? { url, token } : undefined;
  } catch {
    return undefined;
  }
}
