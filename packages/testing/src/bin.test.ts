import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runProgram } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";

const binPath = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

describe("tailvm-sim", () => {
  // Starting Node takes seconds on a loaded machine.
  it("prints the base URLs and credentials, serves them, and stops on SIGTERM", {
    timeout: 30_000,
  }, async () => {
    expect(
      existsSync(binPath),
      "build the package first: pnpm --filter @tailvm/testing build",
    ).toBe(true);
    const child = spawn(process.execPath, [binPath, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const hetznerUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /^HETZNER_URL=(\S+)$/m.exec(output);
        if (match?.[1] && output.includes("TAILSCALE_OAUTH_CLIENT_SECRET=")) resolve(match[1]);
      });
      child.once("exit", (code) =>
        reject(new Error(`tailvm-sim exited early with ${code}: ${output}`)),
      );
    });
    expect(output).toMatch(/^TAILSCALE_URL=http:\/\/127\.0\.0\.1:\d+\/api\/v2$/m);
    expect(output).toContain("HCLOUD_TOKEN=sim-hetzner-token");
    const response = await fetch(`${hetznerUrl}/locations`, {
      headers: { Authorization: "Bearer sim-hetzner-token" },
    });
    expect(response.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it.each([
    [["--bogus"], "tailvm-sim: Unknown option '--bogus'"],
    [["--port"], "tailvm-sim: Option '--port <value>' argument missing"],
  ])(
    "refuses bad usage %j with exit 2 and its usage",
    { timeout: 30_000 },
    async (args, message) => {
      const { code, stderr } = await runProgram(process.execPath, [binPath, ...args]);
      expect(code).toBe(2);
      expect(stderr.startsWith(message)).toBe(true);
      expect(stderr).toContain("\n\nUsage: tailvm-sim ");
    },
  );
});
