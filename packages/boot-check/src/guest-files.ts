import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A file shipped in this package's `guest/` directory (the same path from `src/` and `dist/`). */
export function guestFilePath(name: string): string {
  return fileURLToPath(new URL(`../guest/${name}`, import.meta.url));
}

export function readGuestFile(name: string): string {
  return readFileSync(guestFilePath(name), "utf8");
}
