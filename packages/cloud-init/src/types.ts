import type { Secret } from "./secret.js";

/**
 * A string, or a {@link Secret} that `preview()` hides.
 *
 * @example
 * ```ts
 * const content: Text = secret("password-hash");
 * ```
 */
export type Text = string | Secret;

/**
 * A `runcmd`/`bootcmd` entry: a string runs through `sh -c`; an argv array runs without a shell, so
 * its elements need no quoting.
 *
 * @example
 * ```ts
 * const commands: Command[] = ["echo hi > /tmp/hi", ["systemctl", "restart", "ssh"]];
 * ```
 */
export type Command = Text | Text[];

/**
 * One entry of `users`. Keys are spelled as cloud-init spells them.
 *
 * @example
 * ```ts
 * const user: CloudConfigUser = { name: "deploy", groups: ["sudo"], shell: "/bin/bash", lock_passwd: true };
 * ```
 */
export interface CloudConfigUser {
  name: string;
  gecos?: string;
  /** Supplementary groups, as a list or a comma-separated string. */
  groups?: string | string[];
  primary_group?: string;
  shell?: string;
  /** A sudoers rule such as `"ALL=(ALL) NOPASSWD:ALL"`, or `null` for none. */
  sudo?: string | null;
  ssh_authorized_keys?: string[];
  ssh_import_id?: string[];
  lock_passwd?: boolean;
  /** A crypt(3) hash. */
  hashed_passwd?: Text;
  passwd?: Text;
  homedir?: string;
  no_create_home?: boolean;
  system?: boolean;
  uid?: number;
}

/**
 * One file under `apt.sources` (the key is the source's name, the file under sources.list.d).
 *
 * @example
 * ```ts
 * const source: AptSource = { source: "deb [signed-by=$KEY_FILE] https://example.com/apt $RELEASE main", keyid: "0123ABCD..." };
 * ```
 */
export interface AptSource {
  /** A sources.list line; cloud-init replaces `$RELEASE`, `$MIRROR`, `$KEY_FILE` and others. */
  source?: string;
  /** A key fingerprint to fetch from `keyserver`. */
  keyid?: string;
  /** An ASCII-armoured public key. */
  key?: string;
  keyserver?: string;
  filename?: string;
  append?: boolean;
}

/**
 * The `apt` module's settings this package models.
 *
 * @example
 * ```ts
 * const apt: AptConfig = { sources: { example: { source: "deb https://example.com/apt $RELEASE main" } } };
 * ```
 */
export interface AptConfig {
  preserve_sources_list?: boolean;
  sources?: Record<string, AptSource>;
  disable_suites?: string[];
  conf?: string;
}

/**
 * One entry of `write_files`.
 *
 * @example
 * ```ts
 * const file: WriteFile = { path: "/etc/app.conf", content: "key=value\n", permissions: "0644", owner: "root:root" };
 * ```
 */
export interface WriteFile {
  /** Absolute path of the file. */
  path: string;
  content?: Text;
  /** `user:group`, default `root:root`. */
  owner?: string;
  /** An octal string such as `"0644"` or `"0600"`. */
  permissions?: string;
  encoding?:
    | "text/plain"
    | "b64"
    | "base64"
    | "gz"
    | "gzip"
    | "gz+b64"
    | "gz+base64"
    | "gzip+b64"
    | "gzip+base64";
  append?: boolean;
  /** Write in the final stage, after users and packages exist. */
  defer?: boolean;
}

/**
 * The `ntp` module's settings.
 *
 * @example
 * ```ts
 * const ntp: NtpConfig = { enabled: true, ntp_client: "chrony", pools: ["0.pool.ntp.org"] };
 * ```
 */
export interface NtpConfig {
  enabled?: boolean;
  ntp_client?: "auto" | "chrony" | "ntp" | "ntpdate" | "openntpd" | "systemd-timesyncd";
  pools?: string[];
  servers?: string[];
}

/**
 * The `swap` setting of the mounts module.
 *
 * @example
 * ```ts
 * const swap: SwapConfig = { filename: "/swapfile", size: "2G" };
 * ```
 */
export interface SwapConfig {
  filename?: string;
  /** Bytes, `"auto"`, or a size such as `"512M"` / `"2G"`. */
  size?: number | string;
  maxsize?: number | string;
}

/**
 * The `power_state` module's settings.
 *
 * @example
 * ```ts
 * const powerState: PowerStateConfig = { mode: "reboot", delay: "now", message: "done" };
 * ```
 */
export interface PowerStateConfig {
  mode: "poweroff" | "reboot" | "halt";
  /** Minutes, or `"now"`. */
  delay?: number | "now";
  message?: string;
  timeout?: number;
  condition?: boolean | string | string[];
}

/**
 * The fields `phone_home` can post.
 *
 * @example
 * ```ts
 * const post: PhoneHomeField[] = ["instance_id", "hostname"];
 * ```
 */
export type PhoneHomeField =
  | "pub_key_dsa"
  | "pub_key_rsa"
  | "pub_key_ecdsa"
  | "pub_key_ed25519"
  | "instance_id"
  | "hostname"
  | "fqdn";

/**
 * The `phone_home` module's settings.
 *
 * @example
 * ```ts
 * const phoneHome: PhoneHomeConfig = { url: "https://example.com/ready", post: "all", tries: 5 };
 * ```
 */
export interface PhoneHomeConfig {
  url: Text;
  post?: "all" | PhoneHomeField[];
  tries?: number;
}

/**
 * A `#cloud-config` document, with keys spelled exactly as cloud-init spells them.
 *
 * @example
 * ```ts
 * const config: CloudConfig = {
 *   hostname: "build-01",
 *   package_update: true,
 *   packages: ["git"],
 *   runcmd: [["systemctl", "restart", "ssh"]],
 * };
 * ```
 */
export interface CloudConfig {
  hostname?: string;
  fqdn?: string;
  preserve_hostname?: boolean;
  prefer_fqdn_over_hostname?: boolean;
  manage_etc_hosts?: boolean | "localhost";
  timezone?: string;
  locale?: string;
  /**
   * Users to create. Include `"default"` to keep the image's default user: a `users` list without
   * it replaces that user.
   */
  users?: ("default" | CloudConfigUser)[];
  /** Keys for the default user. */
  ssh_authorized_keys?: string[];
  ssh_pwauth?: boolean;
  disable_root?: boolean;
  package_update?: boolean;
  package_upgrade?: boolean;
  package_reboot_if_required?: boolean;
  /** Package names, or `[name, version]` pairs. */
  packages?: (string | [string, string])[];
  apt?: AptConfig;
  write_files?: WriteFile[];
  bootcmd?: Command[];
  runcmd?: Command[];
  ntp?: NtpConfig | null;
  swap?: SwapConfig;
  power_state?: PowerStateConfig;
  phone_home?: PhoneHomeConfig;
  final_message?: string;
}
