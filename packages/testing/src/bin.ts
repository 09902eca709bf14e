#!/usr/bin/env node
import { errorMessage, readCommandLine } from "@tailvm/internal";
import { startSimulatedCloudServer } from "./start-simulated-cloud-server.js";

const usage = `Usage: tailvm-sim [--port N] [--host ADDRESS] [--time-scale N]

Starts a simulated Hetzner Cloud + Tailscale on loopback and prints the base URLs and the (fake)
credentials it accepts. Runs until interrupted (SIGINT or SIGTERM).

  --port N          port to listen on (default 0: any free port)
  --host ADDRESS    address to bind (default 127.0.0.1)
  --time-scale N    how many times faster durations pass (default 100: a 40 s boot takes
                    400 ms); every timestamp it answers stays wall-clock time
`;

async function main(): Promise<void> {
  const line = readCommandLine({
    name: "tailvm-sim",
    usage,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "time-scale": { type: "string" },
    },
  });
  if ("exitCode" in line) {
    process.exitCode = line.exitCode;
    return;
  }
  const { values } = line;
  const port = values.port === undefined ? 0 : Number(values.port);
  const timeScale = values["time-scale"] === undefined ? 100 : Number(values["time-scale"]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be an integer between 0 and 65535 (got '${values.port}').`);
  }
  if (!(timeScale > 0)) {
    throw new Error(`--time-scale must be a positive number (got '${values["time-scale"]}').`);
  }
  const sim = await startSimulatedCloudServer({
    port,
    timeScale,
    ...(values.host ? { host: values.host } : {}),
  });
  const { credentials } = sim;
  process.stdout.write(
    [
      `HETZNER_URL=${sim.hetznerUrl}`,
      `TAILSCALE_URL=${sim.tailscaleUrl}`,
      `HCLOUD_TOKEN=${credentials.hetznerToken}`,
      `TAILSCALE_API_KEY=${credentials.tailscaleApiKey}`,
      `TAILSCALE_OAUTH_CLIENT_ID=${credentials.tailscaleOAuthClientId}`,
      `TAILSCALE_OAUTH_CLIENT_SECRET=${credentials.tailscaleOAuthClientSecret}`,
      `# simulated credentials only; durations pass ${timeScale}x faster, timestamps are wall-clock. Ctrl-C to stop.`,
      "",
    ].join("\n"),
  );
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`tailvm-sim: ${errorMessage(error)}\n`);
  process.exitCode = 1;
});
