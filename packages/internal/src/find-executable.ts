import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Where {@link findExecutable} looks. */
export interface FindExecutableOptions {
  /** A PATH-style list of directories, searched in order; default `process.env.PATH`. */
  path?: string;
  /** Directories searched after `path`, e.g. the sbin directories a user's PATH may lack. */
  alsoIn?: readonly string[];
}

/** The path of the first executable file called `name` in the directories searched, or undefined. */
export function findExecutable(
  name: string,
  options: FindExecutableOptions = {},
): string | undefined {
  const path = options.path ?? process.env.PATH ?? "";
  for (const directory of [...path.split(delimiter), ...(options.alsoIn ?? [])]) {
    if (directory === "") continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}
