// An ESM consumer: provisions a VM against the loopback simulator over real HTTP, then removes it.
import {
  deprovisionVM,
  type ProvisionContext,
  type ProvisionOptions,
  provisionVM,
  silentLogger,
} from "@tailvm/provisioner";
import { startSimulatedCloudServer } from "@tailvm/testing";

const sim = await startSimulatedCloudServer({ timeScale: 200 });
try {
  const context: ProvisionContext = {
    hetzner: { token: sim.credentials.hetznerToken, baseUrl: sim.hetznerUrl },
    tailscale: { auth: { apiKey: sim.credentials.tailscaleApiKey }, baseUrl: sim.tailscaleUrl },
    logger: silentLogger,
  };
  const options: ProvisionOptions = { agentId: "agent-esm", tailscale: { tags: ["tag:ci"] } };
  const vm = await provisionVM(options, context);
  if (!/^100\./.test(vm.tailscaleIp))
    throw new Error(`unexpected tailnet address ${vm.tailscaleIp}`);
  await deprovisionVM({ serverId: vm.serverId }, context);
  if (sim.state.servers().length !== 0) throw new Error("a server was left behind");
  process.stdout.write(`provisioned and deprovisioned ${vm.serverName} at ${vm.tailscaleIp}\n`);
} finally {
  await sim.close();
}
