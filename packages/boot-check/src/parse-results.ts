import type {
  BootCheckResult,
  BootFailure,
  BootFile,
  BootModule,
  BootStage,
  TailscaleCall,
} from "./boot-result.js";

const LOG_STAGES: Record<string, BootStage> = {
  "init-local": "init-local",
  init: "init",
  "modules:config": "modules-config",
  "modules:final": "modules-final",
};

/** The modules in cloud-init.log, in order: "Running module NAME (...)" after each stage banner. */
export function modulesFromLog(log: string): BootModule[] {
  const modules: BootModule[] = [];
  let stage: BootStage = "init-local";
  for (const line of log.split("\n")) {
    const banner = /Cloud-init v\. \S+ running '([^']+)'/.exec(line)?.[1];
    if (banner !== undefined) {
      stage = LOG_STAGES[banner] ?? stage;
      continue;
    }
    const failed = /Running module (\S+) \(.*\) failed/.exec(line)?.[1];
    if (failed !== undefined) {
      const module = modules.findLast((entry) => entry.name === failed && entry.stage === stage);
      if (module !== undefined) module.failed = true;
      continue;
    }
    const name = /Running module (\S+) \(.*\) with frequency/.exec(line)?.[1];
    if (name !== undefined) modules.push({ stage, name, failed: false });
  }
  return modules;
}

/**
 * The errors of /run/cloud-init/status.json, by stage. cloud-init records each as the string of a
 * `(module, exception)` tuple; other errors (a missing datasource) name no module.
 */
export function failuresFromStatus(status: unknown): BootFailure[] {
  const v1 = (status as { v1?: Record<string, unknown> } | null)?.v1;
  if (v1 === undefined || v1 === null) return [];
  const failures: BootFailure[] = [];
  for (const stage of ["init-local", "init", "modules-config", "modules-final"] as const) {
    const errors = (v1[stage] as { errors?: unknown } | undefined)?.errors;
    if (!Array.isArray(errors)) continue;
    for (const error of errors) {
      const text = String(error);
      const match = /^\('([^']+)', ([\s\S]*)\)$/.exec(text);
      failures.push(
        match
          ? { stage, module: match[1] ?? null, error: match[2] ?? text }
          : { stage, module: null, error: text },
      );
    }
  }
  return failures;
}

interface CommandRecord {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A file as the collector describes it: the content base64-encoded. */
type CollectorFile = Omit<BootFile, "content"> & { contentBase64?: string };

/** What the collector in the image wrote to result.json. */
export interface CollectorResult {
  systemState: string;
  uptimeSeconds: number;
  cloudInitVersion: string;
  status: CommandRecord;
  statusJson: unknown;
  resultJson: unknown;
  schema: CommandRecord;
  failedUnits: CommandRecord;
  files: CollectorFile[];
  tailscale: {
    package: CommandRecord;
    keyring: CollectorFile;
    sources: CollectorFile;
    tailscaled: CommandRecord;
  };
}

export function parseCollectorResult(text: string | undefined): CollectorResult | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as CollectorResult;
  } catch {
    return undefined;
  }
}

export function filesFrom(collected: CollectorResult | undefined): BootFile[] {
  return (collected?.files ?? []).map(({ contentBase64, ...file }) => ({
    ...file,
    ...(contentBase64 === undefined ? {} : { content: Buffer.from(contentBase64, "base64") }),
  }));
}

export function tailscaleCallsFrom(jsonLines: string | undefined): TailscaleCall[] {
  const calls: TailscaleCall[] = [];
  for (const line of (jsonLines ?? "").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const { argv, uptimeSeconds, authKeyFile } = JSON.parse(line) as TailscaleCall;
      calls.push({ argv, uptimeSeconds, ...(authKeyFile === undefined ? {} : { authKeyFile }) });
    } catch {}
  }
  return calls;
}

/** The verdict line of `cloud-init status --long` ("status: done" -> "done"). */
export function statusFrom(collected: CollectorResult | undefined): string {
  const line = /^status:\s*(.+)$/m.exec(collected?.status.stdout ?? "")?.[1];
  return line?.trim() ?? "unknown";
}

export function failedUnitsFrom(collected: CollectorResult | undefined): string[] {
  return (collected?.failedUnits.stdout ?? "")
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[0] ?? "")
    .filter((unit) => unit !== "");
}

export function installedVersionFrom(collected: CollectorResult | undefined): string | null {
  const [state, version] = (collected?.tailscale.package.stdout ?? "").split("|");
  return state === "install ok installed" && version !== undefined ? version : null;
}

/** Whether nothing went wrong: cloud-init done, no failed module or unit, schema valid, in time. */
export function isOk(result: Omit<BootCheckResult, "ok">): boolean {
  return (
    !result.timedOut &&
    result.status === "done" &&
    result.failures.length === 0 &&
    result.schema?.valid === true &&
    result.failedUnits.length === 0
  );
}
