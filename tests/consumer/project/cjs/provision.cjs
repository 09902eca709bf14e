// A CommonJS consumer: require() of the ESM-only packages (Node >= 22.12).
const { provisionVM, deprovisionVM, silentLogger } = require("@tailvm/provisioner");
const { startSimulatedCloudServer } = require("@tailvm/testing");

async function main() {
  const sim = await startSimulatedCloudServer({ timeScale: 200 });
  try {
    const context = {
      hetzner: { token: sim.credentials.hetznerToken, baseUrl: sim.hetznerUrl },
      tailscale: {
        auth: { apiKey: sim.credentials.tailscaleApiKey },
        baseUrl: sim.tailscaleUrl,
      },
      logger: silentLogger,
    };
    const vm = await provisionVM(
      { agentId: "agent-cjs", tailscale: { tags: ["tag:ci"] } },
      context,
    );
    if (!/^100\./.test(vm.tailscaleIp))
      throw new Error(`unexpected tailnet address ${vm.tailscaleIp}`);
    await deprovisionVM({ serverId: vm.serverId }, context);
    if (sim.state.servers().length !== 0) throw new Error("a server was left behind");
    process.stdout.write(`provisioned and deprovisioned ${vm.serverName} at ${vm.tailscaleIp}\n`);
  } finally {
    await sim.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
