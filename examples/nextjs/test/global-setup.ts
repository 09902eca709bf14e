import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../lib/database/open-database.ts";
import { appDirectory } from "./next-server.ts";

/**
 * Creates one migrated, empty PGlite data directory for the whole run: a new one takes several
 * seconds, a copy a fraction of one, so each test app starts from a copy (see `startTestApp`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const parent = await mkdtemp(join(tmpdir(), "tailvm-example-template-"));
  const database = await openDatabase({
    dataDirectory: parent,
    migrationsFolder: join(appDirectory, "drizzle"),
  });
  await database.close();
  project.provide("pgliteTemplate", parent);
  return () => rm(parent, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
