import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  BOOT_REPORT_SETTINGS_PATH,
  sshHardening,
  TAILSCALE_APT_KEY_FINGERPRINT,
  TAILSCALE_AUTH_KEY_PATH,
} from "@tailvm/cloud-init";
import { createBootReportInbox, type ProvisionOptions, plan } from "@tailvm/provisioner";
import { readUserData } from "@tailvm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  type BootChecker,
  type BootCheckResult,
  type BootImage,
  createBootChecker,
  findBootCheckProblems,
  GUEST_SERVER_ADDRESS,
  rewriteForStubRepository,
} from "../src/index.js";
import {
  expectedFiles,
  MODELLED_MODULES,
  modelledModulesAsRun,
  observedJoin,
  predictedJoin,
} from "./expectations.js";
import { provisionedUserData } from "./provisioned-user-data.js";

const IN_CI = Boolean(process.env.CI);
const OPTED_OUT = process.env.TAILVM_BOOT_TIER === "off";
const PROBLEMS = findBootCheckProblems();
const SKIP = OPTED_OUT || (PROBLEMS.length > 0 && !IN_CI);
const SKIP_REASON = OPTED_OUT
  ? " (skipped: TAILVM_BOOT_TIER=off)"
  : SKIP
    ? ` (skipped: ${PROBLEMS.join("; ")})`
    : "";

/**
 * Stops any boot or build still running when the whole tier has taken this long. The three boots
 * take 4 to 5 minutes together on an idle 2-core machine; the VMs run at the lowest CPU priority, so
 * a machine busy with other work at normal priority can stretch one boot past 10 minutes. These
 * bounds catch a hung guest, not a slow one.
 */
const TIER_BUDGET_MS = 35 * 60_000;
const BOOT_TIMEOUT_MS = 25 * 60_000;
/** The receiver is the checker's server; the simulated provision that renders the user data needs none. */
const bootReportTo = (path: string) => ({
  url: `http://${GUEST_SERVER_ADDRESS}${path}`,
  source: createBootReportInbox(),
});

interface BootCase {
  name: string;
  image: BootImage;
  options: ProvisionOptions;
  /** false: keep Tailscale's pinned fingerprint, so the stub repository's key is refused. */
  trustStubKey: boolean;
  /** The receiver path its boot report goes to, when it sends one. */
  reportPath?: string;
}

const baseOptions = (image: BootImage): ProvisionOptions => ({
  agentId: "boot-tier",
  name: `boot-tier-${image}`,
  image,
  tailscale: { tags: ["tag:ci"] },
});

const FRAGMENTS_FILES = {
  plain: "/etc/tailvm-check/plain.conf",
  encoded: "/etc/tailvm-check/encoded.bin",
  deferred: "/home/deploy/.config/app.env",
};

const CASES: BootCase[] = [
  {
    name: "default options",
    image: "debian-12",
    options: baseOptions("debian-12"),
    trustStubKey: true,
  },
  {
    name: "user fragments and a boot report",
    image: "debian-13",
    options: {
      ...baseOptions("debian-13"),
      tailscale: { tags: ["tag:ci", "tag:boot"], ssh: true },
      bootReport: bootReportTo("/boot-report/fragments"),
      cloudInit: [
        sshHardening(),
        {
          users: ["default", { name: "deploy", shell: "/bin/bash", lock_passwd: true }],
          write_files: [
            { path: FRAGMENTS_FILES.plain, content: "a = 1\nquoted: 'yes'\n", permissions: "0640" },
            {
              path: FRAGMENTS_FILES.encoded,
              content: gzipSync("binary\u0000content\n").toString("base64"),
              encoding: "gz+b64",
              permissions: "0600",
            },
            {
              path: FRAGMENTS_FILES.deferred,
              content: "MODE=boot-tier\n",
              owner: "deploy:deploy",
              permissions: "0600",
              defer: true,
            },
          ],
          runcmd: [["sh", "-c", "id deploy"]],
        },
      ],
    },
    trustStubKey: true,
    reportPath: "/boot-report/fragments",
  },
  {
    name: "a repository key that does not match the pin, with a boot report",
    image: "debian-12",
    options: {
      ...baseOptions("debian-12"),
      name: "boot-tier-wrong-key",
      bootReport: bootReportTo("/boot-report/wrong-key"),
    },
    trustStubKey: false,
    reportPath: "/boot-report/wrong-key",
  },
];

/** With TAILVM_BOOT_TIER_RESULTS=DIR, each boot's whole result (logs included) is kept there. */
function saveForInspection(bootCase: BootCase, result: BootCheckResult): void {
  const directory = process.env.TAILVM_BOOT_TIER_RESULTS;
  if (directory === undefined || directory === "") return;
  mkdirSync(directory, { recursive: true });
  const name = `${bootCase.image}-${bootCase.name.replaceAll(/[^a-z0-9]+/gi, "-")}.json`;
  writeFileSync(join(directory, name), JSON.stringify(result, null, 1));
}

interface Booted {
  userData: string;
  result: BootCheckResult;
}

describe.skipIf(SKIP)(`the boot tier: real cloud-init in QEMU${SKIP_REASON}`, () => {
  const budget = AbortSignal.timeout(TIER_BUDGET_MS);
  let checker: BootChecker;
  let stub: { url: string; fingerprint: string };
  const boots = new Map<string, Promise<Booted>>();

  beforeAll(async () => {
    checker = createBootChecker({
      bootTimeoutMs: BOOT_TIMEOUT_MS,
      signal: budget,
      // pnpm test runs every package's tests at once: theirs go first, the VMs take what is left.
      lowPriority: true,
      logger: {
        debug() {},
        info: (message) => process.stderr.write(`[boot tier] ${message}\n`),
        warn: (message) => process.stderr.write(`[boot tier] ${message}\n`),
        error: (message) => process.stderr.write(`[boot tier] ${message}\n`),
      },
    });
    // Build both images (or find them cached) before any boot starts, then boot every case at once:
    // each VM has one vCPU, and a boot is mostly waiting on one.
    await checker.prepare();
    stub = await checker.stubRepository();
    for (const bootCase of CASES) {
      const booted = (async () => {
        const provisioned = await provisionedUserData(bootCase.options);
        const { userData } = rewriteForStubRepository(provisioned, {
          url: stub.url,
          fingerprint: bootCase.trustStubKey ? stub.fingerprint : TAILSCALE_APT_KEY_FINGERPRINT,
        });
        const result = await checker.check({
          userData,
          image: bootCase.image,
          stubTailscale: false,
        });
        saveForInspection(bootCase, result);
        return { userData, result };
      })();
      booted.catch(() => {});
      boots.set(bootCase.name, booted);
    }
  });

  afterAll(async () => {
    await Promise.allSettled(boots.values());
    await checker?.close();
  });

  const booted = (name: string) => {
    const pending = boots.get(name);
    if (pending === undefined) throw new Error(`no boot named ${name}`);
    return pending;
  };
  const predictionFor = (bootCase: BootCase, userData: string) =>
    readUserData(userData, {
      image: bootCase.image,
      tailscaleRepositories: [{ url: stub.url, keyFingerprint: stub.fingerprint }],
    });

  it("gives debian-12 and debian-13 the same user data in plan()", () => {
    const { cloudConfig } = plan({ ...baseOptions("debian-13"), name: "boot-tier-debian-12" });
    expect(cloudConfig).toBe(plan(baseOptions("debian-12")).cloudConfig);
  });

  it("boots plan()'s user data: provisionVM sends what plan() shows, secrets aside", async () => {
    const { userData } = await booted(CASES[0]?.name ?? "");
    const dryRun = parse(plan(baseOptions("debian-12")).cloudConfig);
    const sent = parse(
      userData
        .replaceAll(stub.url, "https://pkgs.tailscale.com/stable")
        .replaceAll(stub.fingerprint, TAILSCALE_APT_KEY_FINGERPRINT),
    );
    for (const file of sent.write_files)
      if (file.path === TAILSCALE_AUTH_KEY_PATH) file.content = "***";
    expect(sent).toEqual(dryRun);
    expect(userData).not.toMatch(/keyserver|keyid/);
  });

  describe.each(CASES)("$name on $image", (bootCase) => {
    it("finishes in time, with a schema-valid config and the modules in the simulator's order", async () => {
      const { result } = await booted(bootCase.name);
      expect(result.timedOut, result.logs.console.slice(-3000)).toBe(false);
      expect(result.cloudInitVersion).toMatch(
        bootCase.image === "debian-12" ? /^22\.4\./ : /^25\.1\./,
      );
      expect(result.schema?.valid, result.schema?.output).toBe(true);
      expect(modelledModulesAsRun(result)).toEqual(MODELLED_MODULES.map((entry) => [...entry]));
      expect(result.logs.cloudInit).not.toMatch(/recv-keys|dirmngr|keyserver/);
    });

    it("writes every write_files entry with its mode, owner and content, and deletes the secrets", async () => {
      const { userData, result } = await booted(bootCase.name);
      const expected = expectedFiles(userData);
      expect(result.files.map((file) => file.path)).toEqual(expected.map((file) => file.path));
      for (const file of expected) {
        const real = result.files.find((entry) => entry.path === file.path);
        if ([TAILSCALE_AUTH_KEY_PATH, BOOT_REPORT_SETTINGS_PATH].includes(file.path)) {
          expect(real?.exists, `${file.path} is left behind`).toBe(false);
          continue;
        }
        expect(real, file.path).toMatchObject({ exists: true, mode: file.mode, owner: file.owner });
        expect(real?.content?.equals(file.content), `${file.path} content`).toBe(true);
      }
    });

    it("matches what @tailvm/testing predicts for the same user data", async () => {
      const { userData, result } = await booted(bootCase.name);
      const prediction = predictionFor(bootCase, userData);
      expect(observedJoin(result)).toEqual(predictedJoin(prediction));
      expect(prediction.install === undefined).toBe(!bootCase.trustStubKey);
      // The module the simulator's VM names in its boot report is the one real cloud-init failed in.
      const [firstFailure] = result.failures;
      expect(prediction.failingModule ?? null).toEqual(
        firstFailure ? { stage: firstFailure.stage, module: firstFailure.module } : null,
      );
    });

    if (bootCase.trustStubKey) {
      it("installs the stub through apt from the signed repository and runs tailscale up with the key file in place", async () => {
        const { result } = await booted(bootCase.name);
        expect(result.ok, JSON.stringify(result.failures, null, 1)).toBe(true);
        expect(result.status).toBe("done");
        expect(result.failedUnits).toEqual([]);
        expect(result.tailscale.keyringLog.join("\n")).toContain(`(key ${stub.fingerprint})`);
        expect(result.tailscale.installedVersion).toBe("1.99.0~boot-check");
        const fetched = result.requests.filter((request) => request.status === 200);
        expect(fetched.map((request) => request.path)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/\/stable\/debian\/[a-z]+\.noarmor\.gpg$/),
            expect.stringMatching(/\/dists\/[a-z]+\/InRelease$/),
            expect.stringMatching(/\/pool\/main\/t\/tailscale\/tailscale_.*\.deb$/),
          ]),
        );
        expect(result.tailscale.up?.authKeyFile).toMatchObject({
          path: TAILSCALE_AUTH_KEY_PATH,
          exists: true,
          mode: "0600",
          owner: "root:root",
        });
        expect(result.tailscale.tailscaledActive).toBe(true);
      });
    } else {
      it("refuses the key loudly in bootcmd, installs nothing and ends in error", async () => {
        const { result } = await booted(bootCase.name);
        expect(result.status).toBe("error");
        expect(result.failures[0], JSON.stringify(result.failures, null, 1)).toMatchObject({
          stage: "init",
          module: "bootcmd",
        });
        expect(result.tailscale.keyringLog.join("\n")).toContain("ERROR: FINGERPRINT MISMATCH");
        expect(result.logs.console).toContain("FINGERPRINT MISMATCH");
        expect(result.tailscale.keyringInstalled).toBe(false);
        expect(result.tailscale.installedVersion).toBeNull();
        expect(result.tailscale.up).toBeNull();
        const unexpected = result.failedUnits.filter(
          (unit) => !/^cloud-(init|init-main|config|final)\.service$/.test(unit),
        );
        expect(unexpected).toEqual([]);
      });
    }

    if (bootCase.reportPath !== undefined) {
      it("sends a boot report with the run's token when cloud-init has finished", async () => {
        const { userData, result } = await booted(bootCase.name);
        const token = readUserData(userData).bootReport?.token;
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(result.bootReports).toHaveLength(1);
        const [report] = result.bootReports;
        expect(report?.path).toBe(bootCase.reportPath);
        expect(report?.authorization).toBe(`Bearer ${token}`);
        expect(report?.contentType).toBe("application/json");
        expect(report?.body, JSON.stringify(report?.body, null, 1)).toMatchObject(
          bootCase.trustStubKey
            ? { version: 1, result: "done", failed: null, instanceId: result.instanceId }
            : {
                version: 1,
                result: "error",
                failed: { stage: "init", module: "bootcmd" },
                instanceId: result.instanceId,
              },
        );
        expect(result.failedUnits).not.toContain("tailvm-boot-report.service");
      });
    }
  });
});
