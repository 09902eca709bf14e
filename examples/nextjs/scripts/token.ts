// Manages the app's API tokens: `pnpm --filter @tailvm/example-nextjs token create <name>`,
// `token list`, `token revoke <id>`. It opens the same database as the app (DATABASE_URL, or
// PGlite in TAILVM_DATA_DIR, default .data) and applies the migrations first.
import { createApiToken, listApiTokens, revokeApiToken } from "../lib/auth/api-tokens.ts";
import { openDatabase } from "../lib/database/open-database.ts";
import { databaseOptions } from "../lib/environment.ts";

const USAGE = `Usage:
  token create <name>   print a new API token (shown once; the database keeps only its hash)
  token list            list the tokens (id, name, created, revoked)
  token revoke <id>     revoke a token: requests with it answer 401 from then on`;

async function main(argv: string[]): Promise<number> {
  const [command, argument, ...rest] = argv;
  const valid =
    (command === "create" && argument && rest.length === 0) ||
    (command === "revoke" && argument && rest.length === 0) ||
    (command === "list" && argument === undefined);
  if (!valid) {
    console.error(USAGE);
    return 2;
  }
  const database = await openDatabase(databaseOptions());
  try {
    if (command === "create") {
      const created = await createApiToken(database.db, argument ?? "");
      // The token goes to stdout alone, so `TOKEN=$(pnpm ... token create ci)` captures it.
      console.error(
        `Created token ${created.id} for ${created.name}. It is shown once; keep it secret.`,
      );
      console.log(created.token);
      return 0;
    }
    if (command === "revoke") {
      if (await revokeApiToken(database.db, argument ?? "")) {
        console.error(`Revoked token ${argument}.`);
        return 0;
      }
      console.error(`No live token with id ${argument}; see \`token list\`.`);
      return 1;
    }
    for (const token of await listApiTokens(database.db)) {
      console.log(
        [
          token.id,
          token.name,
          token.createdAt.toISOString(),
          token.revokedAt ? `revoked ${token.revokedAt.toISOString()}` : "live",
        ].join("\t"),
      );
    }
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
