import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { TailscaleBootPlan } from "@tailvm/testing";
import { parse } from "yaml";
import type { BootCheckResult } from "../src/index.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The parts of a boot both the simulator and a real boot can tell: how Tailscale would join. */
export interface JoinView {
  installed: boolean;
  /** `tailscale up` ran with the key file present. */
  joins: boolean;
  authKeySha256: string | undefined;
  hostname: string | undefined;
  tags: string[];
}

/** What @tailvm/testing's model predicts, in the terms a real boot can be checked in. */
export function predictedJoin(plan: TailscaleBootPlan): JoinView {
  return {
    installed: plan.install !== undefined,
    joins: plan.problem === undefined,
    authKeySha256: plan.authKey === undefined ? undefined : sha256(plan.authKey.trim()),
    hostname: plan.problem === undefined ? plan.hostname : undefined,
    tags: plan.problem === undefined ? plan.tags : [],
  };
}

/** What the real boot did, read from the stub tailscale's log. */
export function observedJoin(result: BootCheckResult): JoinView {
  const up = result.tailscale.up;
  const joins = up !== null && up.authKeyFile?.exists === true;
  const flag = (name: string) =>
    up?.argv.find((argument) => argument.startsWith(`${name}=`))?.slice(name.length + 1);
  return {
    installed: result.tailscale.installedVersion !== null,
    joins,
    authKeySha256: joins ? up?.authKeyFile?.sha256 : undefined,
    hostname: joins ? flag("--hostname") : undefined,
    tags: joins ? (flag("--advertise-tags")?.split(",") ?? []) : [],
  };
}

export interface ExpectedFile {
  path: string;
  mode: string;
  owner: string;
  content: Buffer;
  defer: boolean;
}

/** Every write_files entry of plain #cloud-config user data, with its content decoded. */
export function expectedFiles(userData: string): ExpectedFile[] {
  const config = parse(userData, { version: "1.1" }) as { write_files?: Record<string, unknown>[] };
  return (config.write_files ?? []).map((file) => {
    const encoding = String(file.encoding ?? "text/plain");
    const raw = String(file.content ?? "");
    const decoded = /b64|base64/.test(encoding) ? Buffer.from(raw, "base64") : Buffer.from(raw);
    const permissions = String(file.permissions ?? "0644");
    return {
      path: String(file.path),
      mode: permissions.padStart(4, "0"),
      owner: String(file.owner ?? "root:root"),
      content: /^gz|^gzip/.test(encoding) ? gunzipSync(decoded) : decoded,
      defer: file.defer === true,
    };
  });
}

/** The modules @tailvm/testing's model replays, in its order and with the stage each runs in. */
export const MODELLED_MODULES = [
  ["init", "bootcmd"],
  ["init", "write-files"],
  ["modules-config", "apt-configure"],
  ["modules-final", "package-update-upgrade-install"],
  ["modules-final", "write-files-deferred"],
  ["modules-final", "scripts-user"],
] as const;

/** The modelled modules as they ran in the real boot, in the real order. */
export function modelledModulesAsRun(result: BootCheckResult): string[][] {
  const names = new Set<string>(MODELLED_MODULES.map(([, name]) => name));
  return result.modules
    .filter((module) => names.has(module.name))
    .map((module) => [module.stage, module.name]);
}
