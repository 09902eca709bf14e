import { type HetznerClient, isHetznerApiError } from "@tailvm/hetzner-client";
import type { TailscaleClient } from "@tailvm/tailscale-client";

// Every call to a client's delete method, each answering the same question: was the resource
// deleted now (true), or was it already gone (false)? A failure throws.

export async function deleteServer(
  hetzner: HetznerClient,
  id: number,
  signal: AbortSignal,
): Promise<boolean> {
  return (await hetzner.deleteServer(id, { signal })).deleted;
}

/** A firewall still applied to a server is kept, which is not a failure either: false. */
export async function deleteFirewall(
  hetzner: HetznerClient,
  id: number,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    return (await hetzner.deleteFirewall(id, { signal })).deleted;
  } catch (error) {
    if (isHetznerApiError(error, "resource_in_use")) return false;
    throw error;
  }
}

export async function deleteAuthKey(
  tailscale: TailscaleClient,
  id: string,
  signal: AbortSignal,
): Promise<boolean> {
  return (await tailscale.deleteAuthKey(id, { signal })).deleted;
}

export async function deleteDevice(
  tailscale: TailscaleClient,
  nodeId: string,
  signal: AbortSignal,
): Promise<boolean> {
  return (await tailscale.deleteDevice(nodeId, { signal })).deleted;
}
