import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { type Database, openDatabase } from "../lib/database/open-database.ts";
import { appDirectory } from "./next-server.ts";

/** The PostgreSQL server CI starts (`.ci/run`); unset on a developer's machine. */
export const POSTGRES_URL = process.env.TAILVM_TEST_DATABASE_URL;

/** The reason in a skipped suite's name. */
export const WITHOUT_POSTGRES =
  "(skipped: TAILVM_TEST_DATABASE_URL is not set; .ci/run starts a PostgreSQL server and sets it)";

const migrationsFolder = join(appDirectory, "drizzle");

/** A database of its own on the test server, so suites never see each other's rows. */
export interface ScratchDatabase {
  url: string;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/** Creates a new, empty database on the `TAILVM_TEST_DATABASE_URL` server. */
export async function createScratchPostgres(): Promise<ScratchDatabase> {
  if (!POSTGRES_URL) throw new Error(`TAILVM_TEST_DATABASE_URL is not set ${WITHOUT_POSTGRES}`);
  const name = `tailvm_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  // The name is generated above from hex digits alone; identifiers cannot be bound parameters.
  await drizzle({ client: admin }).execute(sql.raw(`create database ${name}`));
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    open: () => openDatabase({ url: url.toString(), migrationsFolder }),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await drizzle({ client }).execute(sql.raw(`drop database if exists ${name} with (force)`));
      await client.end();
    },
  };
}

/** An in-memory PGlite database with the migrations applied. */
export function openMemoryDatabase(): Promise<Database> {
  return openDatabase({ dataDirectory: "memory://", migrationsFolder });
}

/** Both engines, for `describe.each`: PGlite always, PostgreSQL when CI provides one. */
export const ENGINES = [
  { engine: "pglite", skip: false, reason: "(in memory)" },
  {
    engine: "postgres",
    skip: !POSTGRES_URL,
    reason: POSTGRES_URL ? "(TAILVM_TEST_DATABASE_URL)" : WITHOUT_POSTGRES,
  },
] as const;

/** Opens a fresh database of `engine`; `close()` also drops a PostgreSQL one. */
export async function openTestDatabase(engine: "pglite" | "postgres"): Promise<Database> {
  if (engine === "pglite") return openMemoryDatabase();
  const scratch = await createScratchPostgres();
  const database = await scratch.open();
  return {
    ...database,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}

/**
 * One database of `engine` for the calling suite (a new PGlite takes seconds): opened before its
 * tests unless `skip`, closed after them. Returns the function that gives a test the database.
 */
export function useTestDatabase(
  engine: "pglite" | "postgres",
  { skip }: { skip: boolean },
): () => Database {
  let database: Database | undefined;
  beforeAll(async () => {
    if (!skip) database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database?.close();
  });
  return () => {
    if (database === undefined) throw new Error(`The ${engine} test database is not open.`);
    return database;
  };
}
