import type { ProvisionContext } from "@tailvm/provisioner";
import { type Database, openDatabase } from "./database/open-database.ts";
import {
  ConfigurationError,
  databaseOptions,
  logger,
  provisioningContext,
  resumeWithinSeconds,
} from "./environment.ts";
import { resumeJobs } from "./jobs/resume-jobs.ts";

const DATABASE_KEY = Symbol.for("tailvm.example-nextjs.database");

interface Holder {
  [DATABASE_KEY]?: Promise<Database>;
}

async function start(): Promise<Database> {
  const database = await openDatabase(databaseOptions());
  logger.info?.("Database ready.", { engine: database.engine });
  let context: ProvisionContext;
  try {
    context = provisioningContext();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    logger.warn?.(`Jobs left provisioning are not resumed: ${error.message}`);
    return database;
  }
  // In the background: the app answers while the jobs a stopped server left finish.
  resumeJobs(database, { context, withinSeconds: resumeWithinSeconds() }).catch(
    (error: unknown) => {
      logger.error?.("Finishing the jobs left provisioning failed.", {
        reason: error instanceof Error ? error.message : String(error),
      });
    },
  );
  return database;
}

/**
 * The app's database, opened once per process (on start-up, from `instrumentation.ts`, or by the
 * first request): migrations are applied, then every local job a stopped server left
 * `provisioning` is resumed or rolled back in the background. Next.js may load each route in a
 * module graph of its own, so the one instance hangs off `globalThis`.
 */
export function appDatabase(): Promise<Database> {
  const holder = globalThis as typeof globalThis & Holder;
  holder[DATABASE_KEY] ??= start().catch((error: unknown) => {
    delete holder[DATABASE_KEY];
    throw error;
  });
  return holder[DATABASE_KEY];
}
