import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findExecutable } from "./find-executable.js";

const root = mkdtempSync(join(tmpdir(), "tailvm-find-executable-"));
const [first, second, extra] = ["first", "second", "extra"].map((name) => {
  const directory = join(root, name);
  mkdirSync(directory);
  return directory;
}) as [string, string, string];

function place(directory: string, name: string, mode: number): string {
  const path = join(directory, name);
  writeFileSync(path, "#!/bin/sh\n");
  chmodSync(path, mode);
  return path;
}

const inFirst = place(first, "tool", 0o755);
place(second, "tool", 0o755);
place(first, "plain", 0o644);
const plainInSecond = place(second, "plain", 0o755);
const onlyExtra = place(extra, "admin-tool", 0o755);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("findExecutable", () => {
  const path = ["", first, second].join(delimiter);

  it("takes the first directory of the path that has the program", () => {
    expect(findExecutable("tool", { path })).toBe(inFirst);
  });

  it("passes over a file that is not executable", () => {
    expect(findExecutable("plain", { path })).toBe(plainInSecond);
  });

  it("looks in the extra directories after the path", () => {
    expect(findExecutable("admin-tool", { path })).toBeUndefined();
    expect(findExecutable("admin-tool", { path, alsoIn: [extra] })).toBe(onlyExtra);
    expect(findExecutable("tool", { path, alsoIn: [extra] })).toBe(inFirst);
  });

  it("reads PATH by default", () => {
    expect(findExecutable("sh")).toMatch(/\/sh$/);
    expect(findExecutable("no-such-program-tailvm")).toBeUndefined();
  });
});
