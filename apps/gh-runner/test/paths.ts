import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** This package's directory, `apps/gh-runner`. */
export const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The repository's root directory. */
export const repositoryRoot = join(packageDirectory, "..", "..");
