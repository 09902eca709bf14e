import { SETTINGS } from "@tailvm/gh-runner";
import { EXIT_CODES } from "./commands.js";
import type { CliIo } from "./io.js";

/** The flags of `tailvm sim`. */
export const SIM_FLAGS = {
  port: { value: "N", description: "port to listen on (default 0: any free port)" },
  host: { value: "ADDRESS", description: "address to bind (default 127.0.0.1)" },
  "time-scale": {
    value: "N",
    description:
      "simulated milliseconds per real millisecond (default 100: a 40 s boot takes 0.4 s)",
  },
} as const;

/** The simulator's answer to `tailvm sim`: what to set so that tailvm talks to it. */
export function simulatorSettings(sim: {
  hetznerUrl: string;
  tailscaleUrl: string;
  credentials: {
    hetznerToken: string;
    tailscaleOAuthClientId: string;
    tailscaleOAuthClientSecret: string;
  };
}): Record<string, string> {
  return {
    [SETTINGS.hetzner_api_url.env]: sim.hetznerUrl,
    [SETTINGS.tailscale_api_url.env]: sim.tailscaleUrl,
    [SETTINGS.hetzner_api_token.env]: sim.credentials.hetznerToken,
    [SETTINGS.tailscale_oauth_client_id.env]: sim.credentials.tailscaleOAuthClientId,
    [SETTINGS.tailscale_oauth_client_secret.env]: sim.credentials.tailscaleOAuthClientSecret,
  };
}

/**
 * `tailvm sim`: starts the loopback simulator (loaded only now, so the other commands never pay
 * for it) and prints the settings that reach it; resolves once SIGINT or SIGTERM stopped it.
 */
export async function runSim(
  values: { port?: string; host?: string; "time-scale"?: string },
  io: CliIo,
): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  const timeScale = values["time-scale"] === undefined ? 100 : Number(values["time-scale"]);
  const problems: string[] = [];
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    problems.push(`--port: ${JSON.stringify(values.port)} is not a port: use 0 to 65535.`);
  }
  if (!(timeScale > 0)) {
    problems.push(
      `--time-scale: ${JSON.stringify(values["time-scale"])} is not a positive number.`,
    );
  }
  if (problems.length > 0) {
    io.stderr(`error: ${problems.join("\n       ")}\n`);
    return EXIT_CODES.usage;
  }
  const { startSimulatedCloudServer } = await import("@tailvm/testing");
  const sim = await startSimulatedCloudServer({
    port,
    timeScale,
    ...(values.host ? { host: values.host } : {}),
  });
  const lines = Object.entries(simulatorSettings(sim)).map(([name, value]) => `${name}=${value}`);
  io.stdout(
    `${lines.join("\n")}\n# Simulated clouds, fake credentials; time runs ${timeScale}x faster. Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sim.close();
  return EXIT_CODES.ok;
}
