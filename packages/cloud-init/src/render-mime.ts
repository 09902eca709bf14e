import { createHash } from "node:crypto";
import { CloudConfigError } from "./errors.js";
import type { SecretMode } from "./to-plain-data.js";
import { toPlainData } from "./to-plain-data.js";
import type { Text } from "./types.js";

/**
 * A shell script part of a multi-part user data document, run once on first boot.
 *
 * @example
 * ```ts
 * render(config, { format: "mime", scripts: [{ content: "#!/bin/sh\necho hi\n", filename: "hi.sh" }] });
 * ```
 */
export interface ShellScript {
  /** The script, starting with a `#!` line. */
  content: Text;
  /** Its name in the MIME part (cloud-init stores it under this name); default `script-<n>.sh`. */
  filename?: string;
}

const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

interface MimePart {
  contentType: string;
  filename: string;
  body: string;
}

/**
 * Builds a `multipart/mixed` message like `cloud-init devel make-mime`: every part is UTF-8 and
 * base64-encoded, so no user text is ever interpreted as MIME syntax. The boundary is derived from
 * the content, so the same input always gives the same output.
 */
export function renderMime(
  cloudConfigYaml: string,
  scripts: readonly ShellScript[],
  mode: SecretMode,
): string {
  const parts: MimePart[] = [
    { contentType: "text/cloud-config", filename: "cloud-config.yaml", body: cloudConfigYaml },
  ];
  scripts.forEach((script, index) => {
    const path = `scripts[${index}]`;
    // The check looks at the real script, also when a preview will show it as ***.
    const real = toPlainData(script.content, "reveal", `${path}.content`);
    if (typeof real !== "string" || !real.startsWith("#!")) {
      throw new CloudConfigError(
        `${path}.content must be a string starting with a "#!" line (for example "#!/bin/sh"), so cloud-init can run it.`,
      );
    }
    const filename = script.filename ?? `script-${index + 1}.sh`;
    if (!FILENAME.test(filename)) {
      throw new CloudConfigError(
        `${path}.filename must be 1-100 characters of letters, digits, ".", "_" or "-" (got ${JSON.stringify(filename)}).`,
      );
    }
    const body = String(toPlainData(script.content, mode, `${path}.content`));
    parts.push({ contentType: "text/x-shellscript", filename, body });
  });

  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.contentType}\0${part.filename}\0${part.body}\0`);
  const boundary = `===============${hash.digest("hex").slice(0, 32)}==`;

  const lines = [`Content-Type: multipart/mixed; boundary="${boundary}"`, "MIME-Version: 1.0", ""];
  for (const part of parts) {
    lines.push(
      `--${boundary}`,
      `Content-Type: ${part.contentType}; charset="utf-8"`,
      "MIME-Version: 1.0",
      "Content-Transfer-Encoding: base64",
      `Content-Disposition: attachment; filename="${part.filename}"`,
      "",
      ...wrapBase64(Buffer.from(part.body, "utf8").toString("base64")),
      "",
    );
  }
  lines.push(`--${boundary}--`, "");
  return lines.join("\n");
}

function wrapBase64(encoded: string): string[] {
  const lines: string[] = [];
  for (let start = 0; start < encoded.length; start += 76)
    lines.push(encoded.slice(start, start + 76));
  return lines;
}
