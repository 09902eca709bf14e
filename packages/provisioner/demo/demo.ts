// Provisions a VM against the simulated cloud on loopback: no credentials, a few seconds.
// Run with `pnpm demo` (it builds the package, then runs this file with Node's type stripping).
import {
  consoleLogger,
  createProvisioner,
  type ProvisionEvent,
  type ProvisionResult,
} from "@tailvm/provisioner";
import { createScaledClock, startSimulatedCloudServer } from "@tailvm/testing";

const TIME_SCALE = 100;
const write = (line = "") => process.stdout.write(`${line}\n`);

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// The simulator's own clock: its sleeps (boots, joins, action progress) pass TIME_SCALE times faster
// than real time, and its now() tells simulated time. The server and the provisioner see the wall
// clock (the result's timings are real milliseconds); the demo reads both for each phase.
const cloudClock = createScaledClock({ scale: TIME_SCALE });
interface PhaseTiming {
  cloudMs: number;
  realMs: number;
}
const phaseTimings = new Map<string, PhaseTiming>();
const phaseStarts = new Map<string, PhaseTiming>();
function timePhases(event: ProvisionEvent): void {
  const now = { cloudMs: cloudClock.now(), realMs: performance.now() };
  if (event.type === "phase-start") phaseStarts.set(event.phase, now);
  if (event.type === "phase-end") {
    const start = phaseStarts.get(event.phase) ?? now;
    phaseTimings.set(event.phase, {
      cloudMs: now.cloudMs - start.cloudMs,
      realMs: now.realMs - start.realMs,
    });
  }
}

function printResult(result: ProvisionResult, total: PhaseTiming): void {
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
    `Phase timings: simulated cloud time (it passes ${TIME_SCALE}x faster than real time, the SDK's own work included) and real time`,
  );
  write(`  ${"phase".padEnd(16)}${"simulated".padStart(10)}${"real".padStart(10)}`);
  const row = (label: string, timing: PhaseTiming) =>
    write(
      `  ${label.padEnd(16)}${formatMs(timing.cloudMs).padStart(10)}${formatMs(timing.realMs).padStart(10)}`,
    );
  for (const phase of Object.keys(result.timings)) {
    const timing = phaseTimings.get(phase);
    if (timing) row(phase, timing);
  }
  row("total", total);
}

const sim = await startSimulatedCloudServer({ clock: cloudClock });
write(`Simulated Hetzner Cloud at ${sim.hetznerUrl}`);
write(`Simulated Tailscale at    ${sim.tailscaleUrl}`);
write();

let exitCode = 0;
const started = { cloudMs: cloudClock.now(), realMs: performance.now() };
try {
  // One provisioner per process: its calls share the clients, one OAuth token and one
  // server-type listing.
  const provisioner = createProvisioner({
    ...sim.context({ tailscaleAuth: "oauth" }),
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
  printResult(result, {
    cloudMs: cloudClock.now() - started.cloudMs,
    realMs: performance.now() - started.realMs,
  });
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
