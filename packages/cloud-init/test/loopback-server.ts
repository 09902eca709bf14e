import { rmSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Starts an HTTP server on a free loopback port; `origin` is its `http://127.0.0.1:PORT`. */
export async function listenOnLoopback(
  listener: RequestListener,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes a test file's server and removes its scratch directory, each if it was made. */
export async function closeServerAndDirectory(server?: Server, directory?: string) {
  if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
}
