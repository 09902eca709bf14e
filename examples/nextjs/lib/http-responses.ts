import type { InputIssue } from "@tailvm/provisioner";
import { appDatabase } from "./app-database.ts";
import { verifyApiToken } from "./auth/api-tokens.ts";
import type { Database } from "./database/open-database.ts";
import type { ApiToken } from "./database/schema.ts";
import { ConfigurationError } from "./environment.ts";

/** 400 naming every bad field. */
export function invalidRequest(issues: InputIssue[]): Response {
  return Response.json(
    { error: `Invalid request: ${issues.map((issue) => issue.field).join(", ")}.`, issues },
    { status: 400 },
  );
}

/** 404 for a job the caller has not got (someone else's looks the same as none). */
export function jobNotFound(jobId: string): Response {
  return Response.json(
    {
      error: `No job ${JSON.stringify(jobId)}; list yours with GET /api/vms or start one with POST /api/vms.`,
    },
    { status: 404 },
  );
}

/** 500 for a configuration error, whose message names the setting and never a value. */
export function configurationProblem(error: unknown): Response {
  if (error instanceof ConfigurationError) {
    return Response.json({ error: error.message }, { status: 500 });
  }
  throw error;
}

const AUTHENTICATE =
  "Send an API token as Authorization: Bearer <token>. Create one on the server with pnpm --filter @tailvm/example-nextjs token create <name>.";

/**
 * The caller's token and the database, or the 401 to answer: without an `Authorization: Bearer`
 * header, or with a token that is unknown or revoked. The body says how to authenticate; the
 * presented value is never logged or echoed.
 */
export async function authenticate(
  request: Request,
): Promise<
  | { ok: true; caller: Pick<ApiToken, "id" | "name">; database: Database }
  | { ok: false; response: Response }
> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const database = await appDatabase();
  const caller = match?.[1] ? await verifyApiToken(database.db, match[1]) : undefined;
  if (caller) return { ok: true, caller, database };
  return {
    ok: false,
    response: Response.json(
      {
        error: match
          ? "The API token is not valid (unknown or revoked)."
          : "Authentication required.",
        authenticate: AUTHENTICATE,
      },
      { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="tailvm"' } },
    ),
  };
}
