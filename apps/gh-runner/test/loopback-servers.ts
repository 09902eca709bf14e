import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestContext } from "vitest";

/**
 * Serves `handle` on 127.0.0.1, with each request's body read in full, until the test finishes
 * (then `beforeClose` runs and every connection is cut). Resolves to the server's base URL.
 */
async function serveOnLoopback(
  context: TestContext,
  handle: (incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse) => void,
  beforeClose: () => void = () => undefined,
): Promise<string> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => handle(incoming, Buffer.concat(chunks), outgoing));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  context.onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        beforeClose();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A proxy in front of the simulator's Hetzner API that holds the answer to POST /servers until
 * released: the server exists, but the run has not heard of it yet.
 */
export async function holdingProxy(context: TestContext, target: string) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const url = await serveOnLoopback(
    context,
    async (incoming, body, outgoing) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === "string" && name !== "host") headers.set(name, value);
      }
      const response = await fetch(`${target}${incoming.url}`, {
        method: incoming.method ?? "GET",
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = await response.text();
      if (incoming.method === "POST" && incoming.url === "/servers") await released;
      outgoing.writeHead(response.status, { "content-type": "application/json" }).end(text);
    },
    () => release(),
  );
  return { url, release };
}

/**
 * A callback receiver that records each body and answers with `answer`; `env` sends a run's
 * callback to it.
 */
export async function recordingReceiver(
  context: TestContext,
  answer: { status: number; retryAfter?: string },
) {
  const bodies: Record<string, unknown>[] = [];
  const url = await serveOnLoopback(context, (_incoming, body, outgoing) => {
    bodies.push(JSON.parse(body.toString("utf8")));
    outgoing
      .writeHead(answer.status, answer.retryAfter ? { "retry-after": answer.retryAfter } : {})
      .end();
  });
  return {
    env: {
      TAILVM_CALLBACK_URL: `${url}/callback`,
      TAILVM_CALLBACK_SECRET: "callback-secret-for-tests",
    },
    bodies,
  };
}
