/**
 * The old way, as the usual provisioning scripts do it: plain fetch, an OAuth token, a single-use
 * key, create the server with the key in its user data, poll the server every 5 s until it runs,
 * poll the device list every 10 s until the VM's device shows up, then revoke the key. No
 * placement check, no stale-device cleanup, no rollback. Written honestly: it stops at the first
 * poll that sees the state it waits for, and it gives up after a bounded number of polls.
 */

export interface BaselineOptions {
  hetznerUrl: string;
  tailscaleUrl: string;
  hetznerToken: string;
  oauthClientId: string;
  oauthClientSecret: string;
  name: string;
  tags: string[];
  /** The scripts' `sleep`: the benchmark passes the simulator's scaled clock. */
  sleep: (ms: number) => Promise<void>;
  serverPollMs?: number;
  devicePollMs?: number;
  /** Polls of each loop before giving up. Default 120. */
  maxPolls?: number;
}

export interface BaselineResult {
  serverId: number;
  deviceId: string;
  tailscaleIp: string;
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Provisions one VM the old way and returns its ids. */
export async function baselineProvision(options: BaselineOptions): Promise<BaselineResult> {
  const serverPollMs = options.serverPollMs ?? 5_000;
  const devicePollMs = options.devicePollMs ?? 10_000;
  const maxPolls = options.maxPolls ?? 120;
  const hetznerHeaders = {
    authorization: `Bearer ${options.hetznerToken}`,
    "content-type": "application/json",
  };

  const token = await json<{ access_token: string }>(
    await fetch(`${options.tailscaleUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: options.oauthClientId,
        client_secret: options.oauthClientSecret,
        grant_type: "client_credentials",
      }),
    }),
    "oauth token",
  );
  const tailscaleHeaders = {
    authorization: `Bearer ${token.access_token}`,
    "content-type": "application/json",
  };

  const key = await json<{ id: string; key: string }>(
    await fetch(`${options.tailscaleUrl}/tailnet/-/keys`, {
      method: "POST",
      headers: tailscaleHeaders,
      body: JSON.stringify({
        capabilities: {
          devices: {
            create: { reusable: false, ephemeral: true, preauthorized: true, tags: options.tags },
          },
        },
        expirySeconds: 600,
      }),
    }),
    "create auth key",
  );

  const userData = [
    "#cloud-config",
    "runcmd:",
    "  - curl -fsSL https://tailscale.com/install.sh | sh",
    `  - tailscale up --authkey=${key.key} --hostname=${options.name} --advertise-tags=${options.tags.join(",")}`,
    "",
  ].join("\n");
  const created = await json<{ server: { id: number } }>(
    await fetch(`${options.hetznerUrl}/servers`, {
      method: "POST",
      headers: hetznerHeaders,
      body: JSON.stringify({
        name: options.name,
        server_type: "cx23",
        location: "nbg1",
        image: "ubuntu-24.04",
        user_data: userData,
        labels: { "managed-by": "script" },
      }),
    }),
    "create server",
  );
  const serverId = created.server.id;

  for (let poll = 0; ; poll += 1) {
    const { server } = await json<{ server: { status: string } }>(
      await fetch(`${options.hetznerUrl}/servers/${serverId}`, { headers: hetznerHeaders }),
      "get server",
    );
    if (server.status === "running") break;
    if (poll >= maxPolls) throw new Error(`server ${serverId} not running after ${poll} polls`);
    await options.sleep(serverPollMs);
  }

  for (let poll = 0; ; poll += 1) {
    const { devices } = await json<{
      devices: {
        nodeId: string;
        hostname: string;
        addresses: string[];
        connectedToControl?: boolean;
      }[];
    }>(
      await fetch(`${options.tailscaleUrl}/tailnet/-/devices`, { headers: tailscaleHeaders }),
      "list devices",
    );
    const device = devices.find(
      (entry) => entry.hostname === options.name && entry.connectedToControl !== false,
    );
    if (device) {
      const revoked = await fetch(`${options.tailscaleUrl}/tailnet/-/keys/${key.id}`, {
        method: "DELETE",
        headers: tailscaleHeaders,
      });
      if (!revoked.ok && revoked.status !== 404) {
        throw new Error(`revoke auth key: HTTP ${revoked.status}`);
      }
      const ipv4 = device.addresses.find((address) => address.includes("."));
      return { serverId, deviceId: device.nodeId, tailscaleIp: ipv4 ?? "" };
    }
    if (poll >= maxPolls) throw new Error(`device ${options.name} missing after ${poll} polls`);
    await options.sleep(devicePollMs);
  }
}
