import { defineConfig } from "drizzle-kit";

// `pnpm --filter @tailvm/example-nextjs db:generate` writes a migration for a schema change into
// drizzle/; both engines (PGlite and PostgreSQL) run the same files on start.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/database/schema.ts",
  out: "./drizzle",
});
