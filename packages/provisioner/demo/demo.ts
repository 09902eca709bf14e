// Provisions a VM against the simulated cloud on loopback: no credentials, a few seconds.
// Run with `pnpm demo` (it builds the package, then runs this file with Node's type stripping).
import {
  consoleLogger,
  createProvisioner,
  type ProvisionEvent,
  type ProvisionResult,
} from "@tailvm/provisioner";
import { startSimulatedCloudServer } from "@tailvm/testing";

const TIME_SCALE = 100;
const write = (line = "") => process.stdout.write(`${line}\n`);

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// Real time per phase, next to the simulated time the result reports.
const wallTimings = new Map<string, number>();
const phaseStarts = new Map<string, number>();
function timePhases(event: ProvisionEvent): void {
  if (event.type === "phase-start") phaseStarts.set(event.phase, performance.now());
  if (event.type === "phase-end") {
    wallTimings.set(
      event.phase,
      performance.now() - (phaseStarts.get(event.phase) ?? performance.now()),
    );
  }
}

function printResult(result: ProvisionResult, wallMs: number): void {
  write();
  write("Result");
  const rows: [string, string][] = [
    ["server", `${result.serverName} (id ${result.serverId})`],
    [
      "placement",
      `${result.serverType} in ${result.location}${result.price ? ` (€${result.price.monthly.toFixed(2)}/month + VAT)` : ""}`,
    ],
    ["public IPv4", result.serverIpv4 ?? "none"],
    ["tailnet IPv4", result.tailscaleIp],
    ["tailnet IPv6", result.tailscaleIpv6 ?? "none"],
    ["tailnet device", `${result.tailscaleHostname} (${result.tailscaleDeviceId})`],
  ];
  for (const [label, value] of rows) write(`  ${label.padEnd(16)}${value}`);
  write();
  write(
    `Phase timings: simulated cloud time (the simulator runs ${TIME_SCALE}x faster) and real time`,
  );
  write(`  ${"phase".padEnd(16)}${"simulated".padStart(10)}${"real".padStart(10)}`);
  for (const [phase, ms] of Object.entries(result.timings)) {
    const real = wallTimings.get(phase);
    write(
      `  ${phase.padEnd(16)}${formatMs(ms).padStart(10)}${(real === undefined ? "" : formatMs(real)).padStart(10)}`,
    );
  }
  write(
    `  ${"total".padEnd(16)}${formatMs(result.totalMs).padStart(10)}${formatMs(wallMs).padStart(10)}`,
  );
}

const sim = await startSimulatedCloudServer({ timeScale: TIME_SCALE });
write(`Simulated Hetzner Cloud at ${sim.hetznerUrl}`);
write(`Simulated Tailscale at    ${sim.tailscaleUrl}`);
write();

let exitCode = 0;
const started = performance.now();
try {
  // One provisioner per process: its calls share the clients, one OAuth token and one
  // server-type listing.
  const provisioner = createProvisioner({
    hetzner: { token: sim.credentials.hetznerToken, baseUrl: sim.hetznerUrl },
    tailscale: {
      auth: {
        oauthClientId: sim.credentials.tailscaleOAuthClientId,
        oauthClientSecret: sim.credentials.tailscaleOAuthClientSecret,
      },
      baseUrl: sim.tailscaleUrl,
    },
    clock: sim.clock,
    logger: consoleLogger({ write }),
    onEvent: timePhases,
  });
  const result = await provisioner.provisionVM({
    agentId: "demo-agent",
    jobId: "demo-job-1",
    region: "eu-central",
    tailscale: { tags: ["tag:demo"] },
    ttl: "2h",
  });
  printResult(result, performance.now() - started);
  const device = sim.state.devices().find((item) => item.nodeId === result.tailscaleDeviceId);
  if (device?.addresses[0] !== result.tailscaleIp) {
    throw new Error("the result does not match the simulated tailnet");
  }
} catch (error) {
  process.stderr.write(`Demo failed: ${String(error)}\n`);
  exitCode = 1;
} finally {
  await sim.close();
}
process.exitCode = exitCode;
