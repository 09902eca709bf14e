import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "tailvm-testing-without-msw-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Installs the built package into a scratch project with its dependencies but without msw. */
function installWithoutMsw(): string {
  const installed = join(scratch, "node_modules", "@tailvm", "testing");
  mkdirSync(installed, { recursive: true });
  cpSync(join(packageRoot, "dist"), join(installed, "dist"), { recursive: true });
  cpSync(join(packageRoot, "package.json"), join(installed, "package.json"));
  const yaml = dirname(createRequire(import.meta.url).resolve("yaml/package.json"));
  symlinkSync(yaml, join(scratch, "node_modules", "yaml"), "dir");
  return scratch;
}

const program = `
import { createSimulatedCloud, startSimulatedCloudServer } from "@tailvm/testing";
const sim = createSimulatedCloud();
const headers = { Authorization: "Bearer " + sim.credentials.hetznerToken };
const inProcess = await sim.fetch(sim.hetznerUrl + "/server_types?name=cx23", { headers });
const server = await startSimulatedCloudServer();
const loopback = await fetch(server.hetznerUrl + "/locations", { headers });
await server.close();
const msw = await import("@tailvm/testing/msw").then(() => "loaded", (error) => error.code);
console.log(JSON.stringify({ inProcess: inProcess.status, loopback: loopback.status, msw }));
`;

describe("@tailvm/testing without msw installed", () => {
  // Starting Node takes seconds on a loaded machine.
  it("serves sim.fetch and the loopback server; only the ./msw entry needs msw", {
    timeout: 30_000,
  }, async () => {
    expect(
      existsSync(join(packageRoot, "dist", "index.js")),
      "build the package first: pnpm --filter @tailvm/testing build",
    ).toBe(true);
    const cwd = installWithoutMsw();
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", program], {
      cwd,
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      inProcess: 200,
      loopback: 200,
      msw: "ERR_MODULE_NOT_FOUND",
    });
  });

  it("publishes declarations that name msw only in the ./msw entry", () => {
    const declarations = readFileSync(join(packageRoot, "dist", "index.d.ts"), "utf8");
    expect(declarations).not.toMatch(/from ['"]msw/);
    expect(declarations).not.toMatch(/from ['"]@tailvm\/internal/);
    expect(readFileSync(join(packageRoot, "dist", "msw.d.ts"), "utf8")).toMatch(/from ['"]msw['"]/);
  });
});
