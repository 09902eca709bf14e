import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Another live process has the embedded database open. */
export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `<directory>/lock` for this process. PGlite does not lock its data directory, and two
 * processes on one directory corrupt it, so a second `next start` or the token script refuses to
 * open it while the first runs. A lock left by a process that died (SIGKILL, a crash) is taken over.
 * Returns the function that releases it.
 */
export function lockDataDirectory(directory: string): () => void {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, "lock");
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const descriptor = openSync(path, "wx");
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      return () => {
        try {
          if (readFileSync(path, "utf8") === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new DatabaseLockedError(
        `The embedded database in ${directory} is open in process ${holder}. PGlite allows one process per data directory: stop that process (for a token, stop the server first), or set DATABASE_URL to use PostgreSQL, which both can share.`,
      );
    }
    unlinkSync(path);
  }
  throw new DatabaseLockedError(`Could not take the lock ${path}; remove it if no server runs.`);
}
