/**
 * What a run does: the action's `mode` input, the CLI's subcommand. `plan` is the CLI's dry run.
 *
 * @example
 * ```ts
 * const mode: Mode = "deprovision";
 * ```
 */
export type Mode = "provision" | "deprovision" | "reap" | "plan";

/**
 * The modes the action runs (`plan` is CLI only).
 *
 * @example
 * ```ts
 * ACTION_MODES.includes("reap"); // true
 * ```
 */
export const ACTION_MODES = ["provision", "deprovision", "reap"] as const satisfies Mode[];

/**
 * How one setting is declared: the single source for action.yml, the CLI's flags and `--help`,
 * every README table and the parser.
 */
export interface SettingDefinition {
  /** The environment variable read when neither the input nor the flag is given. */
  env: string;
  /** Masked in logs and never quoted in a message. */
  secret?: true;
  /** The modes that read it. */
  modes: readonly Mode[];
  /** The modes that cannot run without it. */
  requiredIn?: readonly Mode[];
  /** `true`/`false` values; a CLI flag without a value (`--tailscale-ssh`, `--no-ephemeral`). */
  boolean?: true;
  /** Applied when neither input, flag nor environment variable gives a value. */
  default?: string;
  /**
   * The provisioner options it becomes (`tailscale.tags`), the first the one it sets: the
   * provisioner's validation names a problem by option, and this maps it back to the setting.
   */
  option?: readonly string[];
  /** Only an action input: the CLI has a subcommand instead. */
  actionOnly?: true;
  description: string;
}

const CONNECTED: Mode[] = ["provision", "deprovision", "reap"];
const PLANNED: Mode[] = ["provision", "plan"];

/**
 * Every setting, in action.yml order. Each is an action input of this name, a CLI flag
 * (`--` and the name with `-` for `_`) and the environment variable `env`; an input or a flag wins
 * over the environment variable, which wins over the default.
 *
 * @example
 * ```ts
 * SETTINGS.agent_id.env; // "TAILVM_AGENT_ID"
 * flagOf("agent_id"); // "--agent-id"
 * ```
 */
export const SETTINGS = {
  mode: {
    env: "TAILVM_MODE",
    modes: ["provision", "deprovision", "reap"],
    default: "provision",
    actionOnly: true,
    description:
      "What the step does: provision (create the VM), deprovision (delete the VM of job_id, or of server_id with server_name, and its tailnet device; succeeds when it is already gone) or reap (delete expired tailvm servers).",
  },
  agent_id: {
    env: "TAILVM_AGENT_ID",
    modes: PLANNED,
    requiredIn: PLANNED,
    option: ["agentId"],
    description:
      "The agent this VM is for (provision). Written to the server's labels; the default server name starts with its first 8 characters.",
  },
  job_id: {
    env: "TAILVM_JOB_ID",
    modes: ["provision", "plan", "deprovision"],
    option: ["jobId", "target.jobId"],
    description:
      "Your job id. Written to the server's labels and sent in the callback; provisioning again with it adopts the server it already created, and deprovision finds the VM by it.",
  },
  server_id: {
    env: "TAILVM_SERVER_ID",
    modes: ["deprovision"],
    option: ["target.serverId"],
    description:
      "The Hetzner server id to deprovision (the provision step's server_id output); give server_name with it so its tailnet device is found even when the server is gone.",
  },
  server_name: {
    env: "TAILVM_SERVER_NAME",
    modes: ["provision", "plan", "deprovision"],
    option: ["name", "target.name"],
    description:
      "The server name, also its Tailscale hostname: one lower-case hostname label. Provision: default agent-<agent_id>-<time>. Deprovision: the VM to delete, alone or with server_id.",
  },
  region: {
    env: "TAILVM_REGION",
    modes: PLANNED,
    default: "eu-central",
    option: ["region"],
    description:
      "A region (eu-central, eu-north, us-east, us-west, ap-southeast) or a Hetzner location code (nbg1, fsn1, hel1, ash, hil, sin).",
  },
  server_type: {
    env: "TAILVM_SERVER_TYPE",
    modes: PLANNED,
    option: ["serverType", "candidates"],
    description:
      "A Hetzner server type (cx23), or a comma list of type@location candidates tried in order (cx23@nbg1,cpx22@fsn1), which replace region. Empty: the cheapest current type that meets machine.",
  },
  machine: {
    env: "TAILVM_MACHINE",
    modes: PLANNED,
    option: ["machine"],
    description:
      "What the server needs when server_type is empty, e.g. x86,2cpu,4gb or arm,4cpu,8gb,80disk,dedicated,max=20 (max: euro per month, net). The cheapest matching type in the region is chosen from Hetzner's live catalog. Empty: x86,shared,2cpu,4gb.",
  },
  image: {
    env: "TAILVM_IMAGE",
    modes: PLANNED,
    option: ["image", "tailscale.distribution"],
    description: "The Hetzner image. Empty: the provisioner's default Ubuntu LTS.",
  },
  hetzner_ssh_key_id: {
    env: "HETZNER_SSH_KEY_ID",
    modes: PLANNED,
    option: ["sshKeys"],
    description: "One or a comma list of Hetzner SSH key ids or names to install for root.",
  },
  labels: {
    env: "TAILVM_LABELS",
    modes: PLANNED,
    option: ["labels"],
    description:
      "Extra Hetzner labels as key=value pairs, separated by commas or new lines (team=ci,cost-center=42). managed-by and tailvm/* are reserved.",
  },
  tailscale_tags: {
    env: "TAILVM_TAILSCALE_TAGS",
    modes: ["provision", "plan", "reap"],
    requiredIn: PLANNED,
    option: ["tailscale.tags", "tailscale", "tags"],
    description:
      "Comma list of Tailscale tags for the device (tag:ci,tag:agent); your OAuth client must own them. Reap: offline devices with one of these tags whose server is gone are deleted too.",
  },
  tailscale_ssh: {
    env: "TAILVM_TAILSCALE_SSH",
    modes: PLANNED,
    boolean: true,
    default: "false",
    option: ["tailscale.ssh"],
    description: "Enable Tailscale SSH on the VM (true or false).",
  },
  ephemeral: {
    env: "TAILVM_EPHEMERAL",
    modes: PLANNED,
    boolean: true,
    default: "true",
    option: ["tailscale.ephemeral"],
    description:
      "Whether Tailscale removes the device once it is offline (true or false); deprovision removes it either way.",
  },
  public_ssh: {
    env: "TAILVM_PUBLIC_SSH",
    modes: PLANNED,
    boolean: true,
    default: "false",
    option: ["publicAccess.ssh", "publicAccess"],
    description:
      "Open TCP port 22 to the internet (true or false). Default false: the VM gets a firewall with no inbound rule and is reachable only over the tailnet. Not with firewalls.",
  },
  sshd: {
    env: "TAILVM_SSHD",
    modes: PLANNED,
    default: "everywhere",
    option: ["sshd"],
    description:
      "Where sshd answers on the VM, as defence in depth behind the firewall: everywhere (as the image has it), tailnet (only on the device's tailnet addresses, from the join on and after reboots) or off (stopped and disabled after the join; needs tailscale_ssh true). tailnet and off do not combine with public_ssh.",
  },
  ipv4: {
    env: "TAILVM_IPV4",
    modes: PLANNED,
    boolean: true,
    default: "true",
    option: ["publicNet.ipv4", "publicNet"],
    description:
      "Give the VM a public IPv4 address (true or false). false makes it IPv6-only: Tailscale works, but GitHub and some package mirrors have no IPv6.",
  },
  ipv6: {
    env: "TAILVM_IPV6",
    modes: PLANNED,
    boolean: true,
    default: "true",
    option: ["publicNet.ipv6"],
    description:
      "Give the VM a public IPv6 network (true or false). With ipv4 false too, networks must give it a way out.",
  },
  firewalls: {
    env: "TAILVM_FIREWALLS",
    modes: PLANNED,
    option: ["firewalls"],
    description:
      "Comma list of your own Hetzner firewall ids, applied instead of tailvm's closed firewall; each must exist.",
  },
  networks: {
    env: "TAILVM_NETWORKS",
    modes: PLANNED,
    option: ["networks"],
    description:
      "Comma list of Hetzner private network ids to attach the VM to; required with ipv4 and ipv6 both false (the network needs a route out, e.g. a NAT gateway).",
  },
  cloud_init: {
    env: "TAILVM_CLOUD_INIT",
    modes: PLANNED,
    option: ["cloudInit"],
    description:
      "Cloud-config YAML merged after the Tailscale module; several fragments as YAML documents separated by ---. @PATH reads the YAML from a file.",
  },
  ttl: {
    env: "TAILVM_TTL",
    modes: PLANNED,
    option: ["ttl"],
    description:
      "How long the VM may live, as seconds or with a unit (90m, 2h, 1d); written as the tailvm/expires-at label that reap honours.",
  },
  timeout_minutes: {
    env: "TAILVM_TIMEOUT_MINUTES",
    modes: ["provision", "plan", "deprovision", "reap"],
    default: "10",
    option: ["timeouts.total", "timeouts"],
    description:
      "Upper bound for the whole run in minutes, rollback included; fractions allowed (0.5 is thirty seconds).",
  },
  dry_run: {
    env: "TAILVM_DRY_RUN",
    modes: ["reap"],
    boolean: true,
    default: "false",
    description: "Reap: only report what would be deleted (true or false).",
  },
  callback_url: {
    env: "TAILVM_CALLBACK_URL",
    modes: ["provision", "deprovision"],
    description:
      "Where to POST the signed result (vm.provisioned, vm.provision_failed or vm.deprovisioned). https only, except http://127.0.0.1 and http://localhost.",
  },
  callback_secret: {
    env: "TAILVM_CALLBACK_SECRET",
    secret: true,
    modes: ["provision", "deprovision"],
    description:
      "Signs the callback (Standard Webhooks): a whsec_<base64> secret, or any other string used as its bytes. Required with callback_url.",
  },
  hetzner_api_token: {
    env: "HETZNER_API_TOKEN",
    secret: true,
    modes: CONNECTED,
    requiredIn: CONNECTED,
    description: "Hetzner Cloud API token (read & write).",
  },
  tailscale_oauth_client_id: {
    env: "TAILSCALE_OAUTH_CLIENT_ID",
    secret: true,
    modes: CONNECTED,
    requiredIn: CONNECTED,
    description: "Tailscale OAuth client id (scopes auth_keys and devices:core).",
  },
  tailscale_oauth_client_secret: {
    env: "TAILSCALE_OAUTH_CLIENT_SECRET",
    secret: true,
    modes: CONNECTED,
    requiredIn: CONNECTED,
    description: "Tailscale OAuth client secret.",
  },
  hetzner_api_url: {
    env: "HETZNER_API_URL",
    modes: CONNECTED,
    description:
      "Hetzner Cloud API base URL (a proxy, or the simulator). Empty: https://api.hetzner.cloud/v1.",
  },
  tailscale_api_url: {
    env: "TAILSCALE_API_URL",
    modes: CONNECTED,
    description: "Tailscale API base URL. Empty: https://api.tailscale.com/api/v2.",
  },
  tailscale_tailnet: {
    env: "TAILSCALE_TAILNET",
    modes: CONNECTED,
    default: "-",
    description: "The tailnet; - is the OAuth client's own.",
  },
} as const satisfies Record<string, SettingDefinition>;

/**
 * The name of a setting (the action input's name).
 *
 * @example
 * ```ts
 * const name: SettingName = "tailscale_tags";
 * ```
 */
export type SettingName = keyof typeof SETTINGS;

/**
 * Every setting's definition, typed for iteration.
 *
 * @example
 * ```ts
 * for (const [name, setting] of settingEntries()) console.log(name, setting.env);
 * ```
 */
export function settingEntries(): [SettingName, SettingDefinition][] {
  return Object.entries(SETTINGS) as [SettingName, SettingDefinition][];
}

/**
 * The settings a mode reads, in table order.
 *
 * @example
 * ```ts
 * settingsOf("reap").map(([name]) => name); // ["tailscale_tags", "timeout_minutes", "dry_run", ...]
 * ```
 */
export function settingsOf(mode: Mode): [SettingName, SettingDefinition][] {
  return settingEntries().filter(
    ([name, setting]) => name !== "mode" && setting.modes.includes(mode),
  );
}

/**
 * The CLI flag of a setting: `--` and its name with `-` for `_`.
 *
 * @example
 * ```ts
 * flagOf("timeout_minutes"); // "--timeout-minutes"
 * ```
 */
export function flagOf(name: SettingName): string {
  return `--${name.replaceAll("_", "-")}`;
}
