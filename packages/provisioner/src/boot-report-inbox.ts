import { createHash } from "node:crypto";
import type { BootReport, BootReportFailure, BootReportStage } from "@tailvm/cloud-init";

/**
 * Where a run waits for its VM's boot report: {@link createBootReportInbox} makes one, and
 * anything else that can hand over the report sent with a run's token (a queue, a database row
 * another instance wrote) can stand in for it.
 *
 * @example
 * ```ts
 * const source: BootReportSource = {
 *   expect: (token, signal) => waitForRowWithToken(token, signal),
 * };
 * ```
 */
export interface BootReportSource {
  /**
   * Resolves with the report sent with `token` (the run's own, random per run), once it comes;
   * rejects with `signal.reason` when `signal` aborts first. Called before the server is created.
   */
  expect(token: string, signal: AbortSignal): Promise<BootReport>;
}

/**
 * An in-process {@link BootReportSource} with the HTTP side to match: mount `handle` on the route
 * the `bootReport.url` points at. A report is taken only with the bearer token of a run that is
 * waiting for it, once; anything else is refused without saying whether a run exists.
 *
 * @example
 * ```ts
 * // app/api/boot-reports/route.ts (Next.js)
 * export const inbox = createBootReportInbox();
 * export const POST = (request: Request) => inbox.handle(request);
 * // elsewhere: provisionVM({ ..., bootReport: { url: "https://ci.example.com/api/boot-reports", source: inbox } })
 * ```
 */
export interface BootReportInbox extends BootReportSource {
  /**
   * Answers a VM's report: 202 when a waiting run takes it, 401 without a known bearer token,
   * 400 for a body that is not a version 1 report, 405 for another method, 413 for a body over
   * 64 KiB.
   */
  handle(request: Request): Promise<Response>;
  /** How many runs are waiting for their report now. */
  readonly waiting: number;
}

const MAX_BODY_BYTES = 64 * 1024;
const STAGES: readonly BootReportStage[] = [
  "init-local",
  "init",
  "modules-config",
  "modules-final",
];

/** The key a token is held under: its SHA-256, so the inbox never keeps a token itself. */
const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Makes a {@link BootReportInbox}. Tokens are held only as SHA-256 digests (a lookup by digest
 * tells nothing about a token that is not there); a waiting run's entry goes when its report comes
 * or its signal aborts.
 *
 * @example
 * ```ts
 * const inbox = createBootReportInbox();
 * const response = await inbox.handle(request); // 202, 400, 401, 405 or 413
 * ```
 */
export function createBootReportInbox(): BootReportInbox {
  /** Each waiting run's resolve, by the digest of its token. */
  const waiters = new Map<string, (report: BootReport) => void>();

  return {
    get waiting() {
      return waiters.size;
    },

    expect(token, signal) {
      return new Promise<BootReport>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const key = digest(token);
        const onAbort = () => {
          waiters.delete(key);
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        waiters.set(key, (report) => {
          signal.removeEventListener("abort", onAbort);
          resolve(report);
        });
      });
    },

    async handle(request) {
      if (request.method !== "POST") {
        return answer(405, "send the boot report with POST", { allow: "POST" });
      }
      const token = /^Bearer ([\x21-\x7e]+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
      // Checked before the body is read: a caller without a token learns nothing and costs little.
      const key = token === undefined ? undefined : digest(token);
      if (key === undefined || !waiters.has(key)) {
        return answer(401, "no run is waiting for a boot report with this bearer token");
      }
      const text = await readLimited(request);
      if (text === undefined)
        return answer(413, `a boot report is at most ${MAX_BODY_BYTES} bytes`);
      const report = parseBootReport(text);
      if (typeof report === "string") return answer(400, report);
      // Looked up again: the run may have ended while the body was read.
      const resolve = waiters.get(key);
      if (!resolve)
        return answer(401, "no run is waiting for a boot report with this bearer token");
      waiters.delete(key);
      resolve(report);
      return answer(202, "boot report received");
    },
  };
}

function answer(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ message }, { status, headers });
}

async function readLimited(request: Request): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return undefined;
  const body = await request.arrayBuffer();
  return body.byteLength > MAX_BODY_BYTES ? undefined : new TextDecoder().decode(body);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function parseFailure(value: unknown): BootReportFailure | undefined {
  if (!isRecord(value)) return undefined;
  const { stage, module, error } = value;
  if (!STAGES.includes(stage as BootReportStage)) return undefined;
  if (module !== null && typeof module !== "string") return undefined;
  if (typeof error !== "string") return undefined;
  return { stage: stage as BootReportStage, module, error: error.slice(0, 2_000) };
}

/** The report in `text`, or what is wrong with it. */
export function parseBootReport(text: string): BootReport | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "the body is not JSON";
  }
  if (!isRecord(value)) return "the body is not a JSON object";
  if (value.version !== 1) return "version must be 1";
  if (value.result !== "done" && value.result !== "error") {
    return 'result must be "done" or "error"';
  }
  const errors = Array.isArray(value.errors) ? value.errors.map(parseFailure) : [];
  if (errors.some((failure) => failure === undefined)) {
    return "errors must be a list of { stage, module, error }";
  }
  const failed = value.failed === null ? null : parseFailure(value.failed);
  if (failed === undefined) return "failed must be null or { stage, module, error }";
  const text255 = (field: unknown) => (typeof field === "string" ? field.slice(0, 255) : null);
  return {
    version: 1,
    result: value.result,
    instanceId: text255(value.instanceId),
    hostname: text255(value.hostname) ?? "",
    cloudInitVersion: text255(value.cloudInitVersion),
    uptimeSeconds: typeof value.uptimeSeconds === "number" ? value.uptimeSeconds : 0,
    failed,
    errors: errors as BootReportFailure[],
    warnings: Array.isArray(value.warnings)
      ? value.warnings
          .filter((item) => typeof item === "string")
          .map((item) => item.slice(0, 2_000))
      : [],
  };
}
