import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize, sep } from "node:path";

/**
 * A request a guest made to the boot checker's server.
 *
 * @example
 * ```ts
 * result.requests.filter((request) => request.path.endsWith(".noarmor.gpg")).length; // 1
 * ```
 */
export interface GuestRequest {
  method: string;
  path: string;
  status: number;
  /** Milliseconds since the server started. */
  atMs: number;
}

/**
 * A boot report a guest POSTed to `/boot-report/...`.
 *
 * @example
 * ```ts
 * const [report] = result.bootReports;
 * report?.authorization; // "Bearer <token>"
 * ```
 */
export interface ReceivedBootReport {
  path: string;
  /** The `Authorization` header as sent, or null. */
  authorization: string | null;
  contentType: string | null;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
  atMs: number;
}

export interface RepositoryServer {
  port: number;
  requests: GuestRequest[];
  reports: ReceivedBootReport[];
  close(): Promise<void>;
}

const MAX_REPORT_BYTES = 256 * 1024;

/**
 * Serves `root` read-only on 127.0.0.1 (GET and HEAD) and takes boot reports by POST under
 * `/boot-report/`. The guest reaches it through QEMU's guestfwd only.
 */
export async function startRepositoryServer(root: string): Promise<RepositoryServer> {
  const started = Date.now();
  const requests: GuestRequest[] = [];
  const reports: ReceivedBootReport[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://guest").pathname;
    const record = (status: number) =>
      requests.push({ method: request.method ?? "", path, status, atMs: Date.now() - started });
    if (request.method === "POST" && path.startsWith("/boot-report/")) {
      readBody(request).then(
        (text) => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          reports.push({
            path,
            authorization: request.headers.authorization ?? null,
            contentType: request.headers["content-type"] ?? null,
            body,
            atMs: Date.now() - started,
          });
          record(204);
          response.writeHead(204).end();
        },
        () => {
          record(413);
          response.writeHead(413).end();
        },
      );
      return;
    }
    const file = normalize(join(root, decodeURIComponent(path)));
    const size = (() => {
      try {
        const stats = statSync(file);
        return stats.isFile() ? stats.size : undefined;
      } catch {
        return undefined;
      }
    })();
    if (
      !["GET", "HEAD"].includes(request.method ?? "") ||
      !file.startsWith(root + sep) ||
      size === undefined
    ) {
      record(404);
      response.writeHead(404).end();
      return;
    }
    record(200);
    response.writeHead(200, { "content-length": size, "content-type": "application/octet-stream" });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    reports,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REPORT_BYTES) {
        reject(new Error("too large"));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
