import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RepositoryServer, startRepositoryServer } from "./repository-server.js";

/** A GET with the path sent as is (fetch would resolve the dots first). */
function rawStatus(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path }, (response) => {
      response.resume();
      resolve(response.statusCode);
    })
      .on("error", reject)
      .end();
  });
}

describe("the repository server", () => {
  let directory: string;
  let server: RepositoryServer;
  let base: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "tailvm-repository-server-"));
    mkdirSync(join(directory, "www", "stable"), { recursive: true });
    writeFileSync(join(directory, "www", "stable", "file.txt"), "served");
    writeFileSync(join(directory, "secret.txt"), "outside");
    server = await startRepositoryServer(join(directory, "www"));
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it("serves files under its root and nothing outside it", async () => {
    const served = await fetch(`${base}/stable/file.txt`);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe("served");
    expect((await fetch(`${base}/stable/missing`)).status).toBe(404);
    expect(await rawStatus(server.port, "/stable/../../secret.txt")).toBe(404);
    expect((await fetch(`${base}/stable`)).status).toBe(404);
    expect(server.requests.map((request) => [request.path, request.status])).toEqual([
      ["/stable/file.txt", 200],
      ["/stable/missing", 404],
      ["/secret.txt", 404],
      ["/stable", 404],
    ]);
  });

  it("records boot reports with their authorization", async () => {
    const answer = await fetch(`${base}/boot-report/run-1`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ version: 1, result: "done" }),
    });
    expect(answer.status).toBe(204);
    await fetch(`${base}/boot-report/run-2`, { method: "POST", body: "not json" });
    expect(server.reports.map(({ atMs: _atMs, ...report }) => report)).toEqual([
      {
        path: "/boot-report/run-1",
        authorization: "Bearer t",
        contentType: "application/json",
        body: { version: 1, result: "done" },
      },
      {
        path: "/boot-report/run-2",
        authorization: null,
        contentType: "text/plain;charset=UTF-8",
        body: "not json",
      },
    ]);
    expect((await fetch(`${base}/stable/file.txt`, { method: "POST", body: "x" })).status).toBe(
      404,
    );
  });
});
