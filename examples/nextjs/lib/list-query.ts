import type { InputIssue } from "@tailvm/provisioner";
import { JOB_STATUSES, type JobStatus } from "./database/schema.ts";

/** What `GET /api/vms` lists: the statuses to show and how many jobs at most. */
export interface ListQuery {
  statuses: JobStatus[];
  limit: number;
}

const DEFAULT_STATUSES = JOB_STATUSES.filter((status) => status !== "deleted");

/**
 * Reads a query that accepts only the names in `allowed`: any other, or a repeated one, is an
 * issue naming it.
 */
export function checkQueryNames(url: URL, allowed: readonly string[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  for (const name of url.searchParams.keys()) {
    if (!allowed.includes(name)) {
      issues.push({
        field: name,
        message:
          allowed.length === 0
            ? "is not accepted here; this route takes no query"
            : `is not accepted here; the query parameters are ${allowed.join(", ")}`,
      });
    } else if (seen.has(name)) {
      issues.push({ field: name, message: "is given more than once" });
    }
    seen.add(name);
  }
  return issues;
}

/**
 * The query of `GET /api/vms`: `status` (a comma list of job statuses; default every one but
 * `deleted`) and `limit` (1 to 100, default 50). Every problem is named.
 */
export function parseListQuery(
  url: URL,
): { ok: true; query: ListQuery } | { ok: false; issues: InputIssue[] } {
  const issues = checkQueryNames(url, ["status", "limit"]);
  let statuses: JobStatus[] = [...DEFAULT_STATUSES];
  const status = url.searchParams.get("status");
  if (status !== null) {
    const names = status.split(",").map((name) => name.trim());
    const unknown = names.filter((name) => !(JOB_STATUSES as readonly string[]).includes(name));
    if (unknown.length > 0 || names.length === 0) {
      issues.push({
        field: "status",
        message: `must be a comma list of ${JOB_STATUSES.join(", ")}; got ${JSON.stringify(status)}`,
      });
    } else {
      statuses = names as JobStatus[];
    }
  }
  let limit = 50;
  const limitText = url.searchParams.get("limit");
  if (limitText !== null) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) {
      issues.push({ field: "limit", message: "must be a whole number from 1 to 100" });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, query: { statuses, limit } };
}
