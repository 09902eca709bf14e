import type { BootModule, TailscaleBootPlan } from "./read-user-data.js";
import type { ServerRecord } from "./world-records.js";

/** How the simulator sends a VM's boot report: `globalThis.fetch` unless told otherwise. */
export type BootReportFetch = (request: Request) => Promise<Response>;

/**
 * The boot report a simulated VM sends, in the shape `bootReport()` of `@tailvm/cloud-init`
 * documents (version 1).
 */
export interface SimulatedBootReport {
  version: 1;
  result: "done" | "error";
  instanceId: string;
  hostname: string;
  cloudInitVersion: string;
  uptimeSeconds: number;
  failed: (BootModule & { error: string }) | null;
  errors: (BootModule & { error: string })[];
  warnings: string[];
}

/** Whether a server can reach anything outside: a public address or a private network. */
export function hasWayOut(server: ServerRecord): boolean {
  return server.ipv4 !== null || server.ipv6 !== null || server.networkIds.length > 0;
}

/** The cloud-init version a simulated VM reports (Debian 12's and Ubuntu 22.04's series). */
const SIMULATED_CLOUD_INIT_VERSION = "22.4.2";

/**
 * What a VM whose user data asks for a boot report would send once cloud-init has finished:
 * `error` naming the first failing module (a refused keyring in `bootcmd`, an apt install that
 * finds no signed source, or `tailscale up` failing on its arguments, binary, key file or key),
 * else `done`. `undefined` when it sends none: no report asked for, or no way out to send it.
 * `failing` is the module the key's check at boot makes fail, if any.
 */
export function simulatedBootReport(
  server: ServerRecord,
  plan: TailscaleBootPlan,
  outcome: { problem: string | undefined; failing: BootModule | undefined; uptimeMs: number },
): SimulatedBootReport | undefined {
  if (plan.bootReport === undefined || !hasWayOut(server)) return undefined;
  const module = plan.failingModule ?? outcome.failing;
  const failed =
    module === undefined
      ? null
      : { ...module, error: `simulated failure: ${outcome.problem ?? "the module failed"}` };
  return {
    version: 1,
    result: failed ? "error" : "done",
    instanceId: String(server.id),
    hostname: plan.hostname ?? server.name,
    cloudInitVersion: SIMULATED_CLOUD_INIT_VERSION,
    uptimeSeconds: Math.round(outcome.uptimeMs / 100) / 10,
    failed,
    errors: failed ? [failed] : [],
    warnings: [],
  };
}

/**
 * POSTs `report` to the URL in the VM's settings with its bearer token, as the VM's report
 * program does. Fire and forget: a refused or failed delivery is the receiver's concern, as on a
 * real VM (which retries a few times, then gives up).
 */
export function sendBootReport(
  fetch: BootReportFetch,
  settings: { url: string; token: string },
  report: SimulatedBootReport,
): void {
  const request = new Request(settings.url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${settings.token}`,
      "content-type": "application/json",
      "user-agent": "tailvm-boot-report/1",
    },
    body: JSON.stringify(report),
  });
  Promise.resolve()
    .then(() => fetch(request))
    .then((response) => response.body?.cancel())
    .catch(() => undefined);
}
