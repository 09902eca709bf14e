import type { SimulatedCloudServer } from "@tailvm/testing";

/**
 * Deletes a run's server and tailnet device with plain requests, after its measurements were
 * taken, so every run starts from the same empty cloud. Used the same way for tailvm and the
 * baseline.
 */
export async function cleanUp(
  cloud: SimulatedCloudServer,
  target: { serverId: number; deviceId: string },
): Promise<void> {
  const deleted = await Promise.all([
    fetch(`${cloud.hetznerUrl}/servers/${target.serverId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${cloud.credentials.hetznerToken}` },
    }),
    fetch(`${cloud.tailscaleUrl}/device/${target.deviceId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${cloud.credentials.tailscaleApiKey}` },
    }),
  ]);
  for (const response of deleted) {
    if (!response.ok && response.status !== 404) {
      throw new Error(`cleanup: ${response.url} answered ${response.status}`);
    }
  }
}
