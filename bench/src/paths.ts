import { fileURLToPath } from "node:url";

/** The monorepo's root directory. */
export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/** This package's directory. */
export const benchDirectory = fileURLToPath(new URL("../", import.meta.url));
