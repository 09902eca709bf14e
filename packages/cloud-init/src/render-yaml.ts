import { Document, isSeq } from "yaml";
import { type SecretMode, toPlainData } from "./to-plain-data.js";
import type { CloudConfig } from "./types.js";
import { pyyamlSafeStringTag } from "./yaml-string.js";

/**
 * The first line cloud-init requires of a cloud-config document.
 *
 * @example
 * ```ts
 * render({}).startsWith(`${CLOUD_CONFIG_HEADER}\n`); // true
 * ```
 */
export const CLOUD_CONFIG_HEADER = "#cloud-config";

/** Top-level keys in the order cloud-init's stages use them; other keys follow in their own order. */
const KEY_ORDER: readonly string[] = [
  "hostname",
  "fqdn",
  "preserve_hostname",
  "prefer_fqdn_over_hostname",
  "manage_etc_hosts",
  "timezone",
  "locale",
  "ntp",
  "swap",
  "bootcmd",
  "users",
  "ssh_authorized_keys",
  "ssh_pwauth",
  "disable_root",
  "apt",
  "package_update",
  "package_upgrade",
  "package_reboot_if_required",
  "packages",
  "write_files",
  "runcmd",
  "phone_home",
  "power_state",
  "final_message",
];

/** Renders a config as `#cloud-config` YAML with secrets revealed or redacted. */
export function renderYaml(config: CloudConfig, mode: SecretMode): string {
  const data = toPlainData(config, mode) as Record<string, unknown>;
  const ordered: Record<string, unknown> = Object.create(null);
  for (const key of KEY_ORDER) if (key in data) ordered[key] = data[key];
  for (const [key, value] of Object.entries(data)) if (!(key in ordered)) ordered[key] = value;

  // YAML 1.1 is what cloud-init's PyYAML reads: the 1.1 schema quotes yes/no/on/off, 0644, 12:30 ...
  const document = new Document(ordered, {
    version: "1.1",
    // Without the 1.1 merge tag, "<<" is an ordinary string that the string tag then quotes.
    customTags: (tags) => [
      pyyamlSafeStringTag,
      ...tags.filter((tag) => typeof tag === "string" || tag.tag !== "tag:yaml.org,2002:merge"),
    ],
  });
  for (const key of ["runcmd", "bootcmd"]) {
    const commands = document.get(key, true);
    if (!isSeq(commands)) continue;
    for (const command of commands.items) if (isSeq(command)) command.flow = true;
  }
  // An empty config renders as "{}": cloud-init rejects a document that is not a mapping.
  return `${CLOUD_CONFIG_HEADER}\n${document.toString({ lineWidth: 0 })}`;
}
