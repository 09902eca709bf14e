import { stringify } from "yaml";
import type { SimulatedCloudServer } from "../src/start-simulated-cloud-server.js";
import type { SimulatedCloud } from "../src/types.js";

/**
 * Renders user data in @tailvm/cloud-init's Tailscale format (the path and flags the VM reads):
 * Tailscale from its apt repository for `distribution` (default ubuntu), or by its install script
 * (`install: "script"`), or not at all (`install: "none"`).
 */
export function tailscaleUserData(options: {
  authKey: string;
  hostname: string;
  tags?: string[];
  encoding?: "b64";
  install?: "apt" | "script" | "none";
  distribution?: "ubuntu" | "debian";
}): string {
  const path = "/run/tailvm/tailscale-auth-key";
  const up = [
    "tailscale",
    "up",
    `--auth-key=file:${path}`,
    `--hostname=${options.hostname}`,
    "--timeout=300s",
  ];
  if (options.tags && options.tags.length > 0)
    up.push(`--advertise-tags=${options.tags.join(",")}`);
  const content =
    options.encoding === "b64" ? Buffer.from(options.authKey).toString("base64") : options.authKey;
  const install = options.install ?? "apt";
  const distribution = options.distribution ?? "ubuntu";
  return `#cloud-config\n${stringify({
    ...(install === "apt"
      ? {
          apt: {
            sources: {
              tailscale: {
                source: `deb [signed-by=$KEY_FILE] https://pkgs.tailscale.com/stable/${distribution} $RELEASE main`,
                keyid: "2596A99EAAB33821893C0A79458CA832957F5868",
              },
            },
          },
          packages: ["tailscale"],
        }
      : {}),
    write_files: [
      {
        path,
        permissions: "0600",
        owner: "root:root",
        content,
        ...(options.encoding ? { encoding: options.encoding } : {}),
      },
    ],
    runcmd: [
      ...(install === "script"
        ? [["sh", "-c", "curl -fsSL https://tailscale.com/install.sh | sh"]]
        : []),
      ["systemctl", "enable", "--now", "tailscaled"],
      up,
      ["rm", "-f", path],
    ],
  })}`;
}

/** A decoded answer. */
export interface ApiResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test helper returns loosely typed JSON
  json: any;
}

type Call = (method: string, path: string, body?: unknown, token?: string) => Promise<ApiResult>;

interface KeyOptions {
  tags?: string[];
  reusable?: boolean;
  ephemeral?: boolean;
  expirySeconds?: number;
}

/** Small helpers around `sim.fetch` for tests; a loopback server is called over real HTTP. */
export function apiOf(sim: SimulatedCloud | SimulatedCloudServer): {
  hetzner: Call;
  tailscale: Call;
  createKey: (options?: KeyOptions, token?: string) => Promise<ApiResult>;
  createServer: (body: Record<string, unknown>) => Promise<ApiResult>;
  /** Mints a key and creates server `name` whose user data joins the tailnet with it. */
  createJoiningServer: (name: string) => Promise<ApiResult>;
} {
  const send = "fetch" in sim ? sim.fetch : fetch;
  const callTo =
    (baseUrl: string, defaultToken: string): Call =>
    async (method, path, body, token = defaultToken) => {
      const response = await send(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      // biome-ignore lint/suspicious/noExplicitAny: test helper returns loosely typed JSON
      const json: any = text === "" ? undefined : JSON.parse(text);
      return { status: response.status, headers: response.headers, json };
    };
  const hetzner = callTo(sim.hetznerUrl, sim.credentials.hetznerToken);
  const tailscale = callTo(sim.tailscaleUrl, sim.credentials.tailscaleApiKey);
  const createKey = async (options: KeyOptions = {}, token?: string) =>
    tailscale(
      "POST",
      "/tailnet/-/keys",
      {
        capabilities: {
          devices: {
            create: {
              reusable: options.reusable ?? false,
              ephemeral: options.ephemeral ?? true,
              preauthorized: true,
              tags: options.tags ?? ["tag:ci"],
            },
          },
        },
        ...(options.expirySeconds !== undefined ? { expirySeconds: options.expirySeconds } : {}),
      },
      token,
    );
  const createServer = async (body: Record<string, unknown>) =>
    hetzner("POST", "/servers", {
      server_type: "cx23",
      image: "ubuntu-24.04",
      location: "nbg1",
      ...body,
    });
  const createJoiningServer = async (name: string) => {
    const { key } = (await createKey()).json;
    return createServer({ name, user_data: tailscaleUserData({ authKey: key, hostname: name }) });
  };
  return { hetzner, tailscale, createKey, createServer, createJoiningServer };
}
