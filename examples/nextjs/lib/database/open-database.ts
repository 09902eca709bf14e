import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import { migrate as migratePostgres } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { logger } from "../environment.ts";
import { lockDataDirectory } from "./data-directory-lock.ts";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** The Drizzle database, the same type on both engines. */
export type AppDatabase = PgDatabase<PgQueryResultHKT, Schema>;

/** An open database with its migrations applied. */
export interface Database {
  db: AppDatabase;
  engine: "pglite" | "postgres";
  /**
   * Runs `task` only if no other session holds the lock named `key`, and holds it until `task`
   * settles; resolves `{ ran: false }` at once otherwise. On PostgreSQL this is a session advisory
   * lock on a connection of its own, so it also excludes other instances, and a process that dies
   * loses its locks with its connections. PGlite has one process (see `lockDataDirectory`), so
   * an in-process set is the lock there.
   */
  withLock<T>(
    key: string,
    task: () => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }>;
  close(): Promise<void>;
}

/** Where to keep the data: PostgreSQL when `url` is set, else PGlite in `dataDirectory`. */
export interface DatabaseOptions {
  /** A PostgreSQL connection string (`postgres://...`). */
  url?: string | undefined;
  /** PGlite's directory; `memory://` keeps it in memory (tests). Default `.data`. */
  dataDirectory?: string | undefined;
  /** The migrations folder. Default `drizzle` under the working directory. */
  migrationsFolder?: string | undefined;
  /** Connections of the PostgreSQL pool (each running job holds one for its lock). Default 20. */
  poolSize?: number | undefined;
}

const MIGRATION_LOCK = "tailvm-example-migrations";

function lockKey(key: string) {
  return sql`hashtextextended(${key}, 0)`;
}

async function openPostgres(
  url: string,
  options: DatabaseOptions,
  migrationsFolder: string,
): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 20 });
  // An idle connection the server drops (a restart, a failover) is replaced on the next query;
  // without a listener its error would end the process.
  pool.on("error", (error) => {
    logger.warn?.("A PostgreSQL connection was lost; it is replaced on the next query.", {
      reason: error.message,
    });
  });
  const db = drizzlePostgres({ client: pool, schema });
  // Two instances starting together would both apply the migrations: take turns.
  const client = await pool.connect();
  try {
    const session = drizzlePostgres({ client, schema });
    await session.execute(sql`select pg_advisory_lock(${lockKey(MIGRATION_LOCK)})`);
    try {
      await migratePostgres(session, { migrationsFolder });
    } finally {
      await session.execute(sql`select pg_advisory_unlock(${lockKey(MIGRATION_LOCK)})`);
    }
  } finally {
    client.release();
  }
  return {
    db,
    engine: "postgres",
    async withLock(key, task) {
      const connection = await pool.connect();
      const session = drizzlePostgres({ client: connection });
      let broken = false;
      try {
        const { rows } = await session.execute<{ locked: boolean }>(
          sql`select pg_try_advisory_lock(${lockKey(key)}) as locked`,
        );
        if (!rows[0]?.locked) return { ran: false };
        try {
          return { ran: true, value: await task() };
        } finally {
          await session.execute(sql`select pg_advisory_unlock(${lockKey(key)})`).catch(() => {
            broken = true;
          });
        }
      } finally {
        // A connection that could not unlock may still hold the lock: drop it rather than reuse it.
        connection.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(options: DatabaseOptions, migrationsFolder: string): Promise<Database> {
  // The data directory is the operator's choice at run time, not a file of the build to trace.
  const directory = resolve(/* turbopackIgnore: true */ options.dataDirectory ?? ".data");
  const inMemory = (options.dataDirectory ?? "").startsWith("memory://");
  const unlock = inMemory ? () => undefined : lockDataDirectory(directory);
  let client: PGlite;
  try {
    client = await PGlite.create(
      inMemory
        ? (options.dataDirectory ?? "")
        : join(/* turbopackIgnore: true */ directory, "pglite"),
    );
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    const held = new Set<string>();
    return {
      db,
      engine: "pglite",
      async withLock(key, task) {
        if (held.has(key)) return { ran: false };
        held.add(key);
        try {
          return { ran: true, value: await task() };
        } finally {
          held.delete(key);
        }
      },
      async close() {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * Opens the app's database and applies the migrations in `drizzle/` (the same files on both
 * engines): PostgreSQL through `pg` when `url` is set, else embedded PGlite in `dataDirectory`.
 *
 * @example
 * ```ts
 * const database = await openDatabase({ url: process.env.DATABASE_URL });
 * await database.db.select().from(jobs);
 * await database.close();
 * ```
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? join(process.cwd(), "drizzle");
  return options.url
    ? openPostgres(options.url, options, migrationsFolder)
    : openPglite(options, migrationsFolder);
}
