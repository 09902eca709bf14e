import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_LOCATIONS } from "../src/catalog-locations.js";
import {
  type SimulatedCloudServer,
  startSimulatedCloudServer,
} from "../src/start-simulated-cloud-server.js";
import { ED25519_CI, ED25519_CI_MD5, ED25519_OTHER } from "./ssh-keys.js";

// Hetzner's own clients, as Debian packages them (`hcloud-cli`, `python3-hcloud`): nobody here
// wrote them, so they check the simulator against Hetzner's idea of its API. .ci/run installs them.
const PYTHON = "/usr/bin/python3";
const hasHcloud = spawnSync("hcloud", ["version"], { stdio: "ignore" }).status === 0;
const hasPython = spawnSync(PYTHON, ["-c", "import hcloud"], { stdio: "ignore" }).status === 0;
const run = promisify(execFile);

// Cloud time runs 1000 times faster: a 40 s boot takes 40 ms, so each client's wait is short.
const TIME_SCALE = 1_000;
const SLOW_MACHINE_MS = 20_000;

let sim: SimulatedCloudServer;
let scratch: string;
beforeAll(async () => {
  sim = await startSimulatedCloudServer({ timeScale: TIME_SCALE });
  scratch = mkdtempSync(join(tmpdir(), "tailvm-official-clients-"));
});
afterAll(async () => {
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs `hcloud` against the simulator; never throws, so a failure's output can be asserted. */
async function hcloud(args: string[], token = sim.credentials.hetznerToken) {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: scratch,
    HCLOUD_CONFIG: join(scratch, "cli.toml"),
    HCLOUD_ENDPOINT: sim.hetznerUrl,
    HCLOUD_TOKEN: token,
  };
  try {
    const { stdout, stderr } = await run("hcloud", args, { env, timeout: SLOW_MACHINE_MS });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** `hcloud server create` of `name` with `type` and `image`, plus `extra` flags. */
function hcloudCreate(name: string, type: string, image: string, ...extra: string[]) {
  return hcloud(["server", "create", "--name", name, "--type", type, "--image", image, ...extra]);
}

async function hcloudJson<T>(args: string[]): Promise<T> {
  const result = await hcloud([...args, "-o", "json"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as T;
}

const skipped = (reason: string, installed: boolean) => (installed ? "" : ` (skipped: ${reason})`);

describe.skipIf(!hasHcloud)(
  `Hetzner's hcloud CLI 1.30${skipped("hcloud is not installed; .ci/run installs hcloud-cli", hasHcloud)}`,
  () => {
    it("lists locations, today's server types and images", {
      timeout: SLOW_MACHINE_MS,
    }, async () => {
      const locations = await hcloudJson<{ name: string }[]>(["location", "list"]);
      expect(locations.map((location) => location.name)).toEqual(ALL_LOCATIONS);
      const types = await hcloudJson<{ name: string }[]>(["server-type", "list"]);
      const names = types.map((type) => type.name);
      expect(names).toEqual(expect.arrayContaining(["cx23", "cpx12", "cax11", "ccx13"]));
      expect(names).not.toContain("cx22");
      // This CLI asks for deprecated images too (`include_deprecated=true`).
      const images = await hcloudJson<{ name: string }[]>(["image", "list", "--type", "system"]);
      expect(new Set(images.map((image) => image.name))).toEqual(
        new Set(["ubuntu-24.04", "ubuntu-22.04", "ubuntu-20.04", "debian-12", "debian-13"]),
      );
      const datacenters = await hcloud(["datacenter", "list"]);
      expect(datacenters.code).not.toBe(0);
      expect(datacenters.stderr).toContain("deprecated_api_endpoint");
    });

    it("uploads, lists and deletes an SSH key, and refuses its twin", {
      timeout: SLOW_MACHINE_MS,
    }, async () => {
      expect(
        (await hcloud(["ssh-key", "create", "--name", "cli-key", "--public-key", ED25519_CI])).code,
      ).toBe(0);
      const twin = await hcloud([
        "ssh-key",
        "create",
        "--name",
        "twin",
        "--public-key",
        ED25519_CI,
      ]);
      expect(twin.code).not.toBe(0);
      expect(twin.stderr).toContain(
        "SSH key with the same fingerprint already exists (uniqueness_error)",
      );
      const keys = await hcloudJson<{ name: string; fingerprint: string }[]>(["ssh-key", "list"]);
      expect(keys).toEqual([
        expect.objectContaining({ name: "cli-key", fingerprint: ED25519_CI_MD5 }),
      ]);
      expect((await hcloud(["ssh-key", "delete", "cli-key"])).code).toBe(0);
      // An empty list prints as `null` from this Go client.
      expect((await hcloudJson<unknown[] | null>(["ssh-key", "list"])) ?? []).toEqual([]);
    });

    it("creates a server with user data and labels, waits for it, lists, describes and deletes it", {
      timeout: SLOW_MACHINE_MS,
    }, async () => {
      const userDataFile = join(scratch, "user-data.yaml");
      const userData = "#cloud-config\nruncmd:\n  - [touch, /root/cli-was-here]\n";
      writeFileSync(userDataFile, userData);
      await hcloud([
        "ssh-key",
        "create",
        "--name",
        "cli-server-key",
        "--public-key",
        ED25519_OTHER,
      ]);
      const created = await hcloudCreate(
        "cli-1",
        "cx23",
        "ubuntu-24.04",
        "--location",
        "fsn1",
        "--ssh-key",
        "cli-server-key",
        "--user-data-from-file",
        userDataFile,
        "--label",
        "client=cli",
      );
      expect(created.stderr).toBe("");
      expect(created.stdout).toContain("Server");
      expect(created.stdout).toContain("created");
      const [server] = sim.state.servers().filter((candidate) => candidate.name === "cli-1");
      expect(server).toMatchObject({
        status: "running",
        server_type: "cx23",
        location: "fsn1",
        image: "ubuntu-24.04",
        user_data: userData,
        labels: { client: "cli" },
        ssh_keys: ["cli-server-key"],
      });
      const listed = await hcloudJson<{ name: string }[]>(["server", "list", "-l", "client=cli"]);
      expect(listed.map((entry) => entry.name)).toEqual(["cli-1"]);
      expect(
        (await hcloudJson<unknown[] | null>(["server", "list", "-l", "client=nobody"])) ?? [],
      ).toEqual([]);
      const described = await hcloudJson<{
        status: string;
        created: string;
        server_type: { name: string };
        labels: Record<string, string>;
      }>(["server", "describe", "cli-1"]);
      expect(described).toMatchObject({
        status: "running",
        server_type: { name: "cx23" },
        labels: { client: "cli" },
      });
      // Wall-clock timestamps: the server was created moments ago, not in simulated future time.
      expect(Math.abs(Date.parse(described.created) - Date.now())).toBeLessThan(SLOW_MACHINE_MS);

      const duplicate = await hcloudCreate("cli-1", "cx23", "debian-12");
      expect(duplicate.code).not.toBe(0);
      expect(duplicate.stderr).toContain("server name is already used (uniqueness_error)");

      expect((await hcloud(["server", "delete", "cli-1"])).code).toBe(0);
      expect((await hcloud(["ssh-key", "delete", "cli-server-key"])).code).toBe(0);
      expect(sim.state.servers().map((candidate) => candidate.name)).not.toContain("cli-1");
    });

    it("reports a bad token, a type that is gone and an unknown type", {
      timeout: SLOW_MACHINE_MS,
    }, async () => {
      const badToken = await hcloud(["server", "list"], "not-the-token");
      expect(badToken.code).not.toBe(0);
      expect(badToken.stderr).toContain("(unauthorized)");
      // This CLI sends the type's name as it is given, so the API answers for it.
      const answers = {
        cx22: "unsupported location for server type (invalid_input)",
        cpx11: "unsupported location for server type (invalid_input)",
        cx99: "invalid input in field 'server_type': server type 'cx99' not found (invalid_input)",
      };
      for (const [type, message] of Object.entries(answers)) {
        const refused = await hcloudCreate(`cli-${type}`, type, "debian-12");
        expect(refused.code, type).not.toBe(0);
        expect(refused.stderr).toBe(`hcloud: ${message}\n`);
      }
      expect(sim.state.servers()).toEqual([]);
    });
  },
);

describe.skipIf(!hasPython)(
  `Hetzner's hcloud-python 1.18${skipped("/usr/bin/python3 cannot import hcloud; .ci/run installs python3-hcloud", hasPython)}`,
  () => {
    it("lists, uploads a key, creates and waits, pages, selects by label, fails as Hetzner does, and cleans up", {
      timeout: SLOW_MACHINE_MS,
    }, async () => {
      const script = fileURLToPath(
        new URL("./official-clients/hcloud-python-session.py", import.meta.url),
      );
      const before = sim.state.requests().length;
      const { stdout } = await run(PYTHON, [script], {
        env: {
          PATH: process.env.PATH ?? "",
          HCLOUD_ENDPOINT: sim.hetznerUrl,
          HCLOUD_TOKEN: sim.credentials.hetznerToken,
          SSH_PUBLIC_KEY: ED25519_CI,
        },
        timeout: SLOW_MACHINE_MS,
      });
      const report = JSON.parse(stdout);
      expect(report.locations).toEqual(ALL_LOCATIONS);
      expect(report.server_types).toEqual(
        expect.arrayContaining(["cx23", "cpx62", "cax41", "ccx63"]),
      );
      expect(report.server_types).not.toContain("cx22");
      expect(report.images).toEqual(["debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04"]);
      expect(report.ssh_key).toEqual({ fingerprint: ED25519_CI_MD5 });
      expect(report.ssh_keys_listed).toEqual(["python-key"]);
      expect(report.duplicate_ssh_key).toEqual({
        code: "uniqueness_error",
        message: "SSH key with the same fingerprint already exists",
      });
      expect(report.server).toMatchObject({
        name: "python-1",
        status: "running",
        server_type: "cx23",
        labels: { client: "python", batch: "b1" },
        // hcloud-python 1.18 still reads server.datacenter, which Hetzner removed on 2026-07-01.
        datacenter: null,
      });
      expect(Math.abs(Date.parse(report.server.created) - Date.now())).toBeLessThan(
        SLOW_MACHINE_MS,
      );
      expect(report.first_page).toEqual({
        names: ["python-1", "python-2"],
        last_page: 2,
        total_entries: 4,
      });
      expect(report.all_pages).toEqual(["python-1", "python-2", "python-3", "python-4"]);
      expect(report.selected).toEqual(["python-1"]);
      expect(report.errors).toEqual({
        duplicate_name: { code: "uniqueness_error", message: "server name is already used" },
        type_gone: { code: "invalid_input", message: "unsupported location for server type" },
        unknown_type: {
          code: "invalid_input",
          message: "invalid input in field 'server_type': server type 'cx99' not found",
        },
        bad_token: { code: "unauthorized", message: "unable to authenticate: check the API token" },
      });
      expect(report.left).toEqual({ servers: [], ssh_keys: [] });
      const created = sim.state
        .requests()
        .slice(before)
        .filter((entry) => entry.method === "POST" && entry.path === "/servers");
      expect(created.map((entry) => entry.status)).toEqual([201, 201, 201, 201, 409, 422, 422]);
    });
  },
);
