import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createVirtualClock, everythingReachable } from "@tailvm/internal/test";
import { afterEach, describe, expect, it } from "vitest";
import { createHetznerClient } from "../src/client";
import { HetznerNetworkError } from "../src/errors";
import { action, server, TOKEN } from "./fixtures";

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

let running: Server | undefined;

afterEach(async () => {
  running?.closeAllConnections();
  await new Promise((resolve) => running?.close(resolve) ?? resolve(undefined));
  running = undefined;
});

async function listen(
  handle: (request: IncomingMessage, response: ServerResponse, seen: Seen[]) => void,
): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  running = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        authorization: request.headers.authorization,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      handle(request, response, seen);
    });
  });
  await new Promise<void>((resolve) => running?.listen(0, "127.0.0.1", resolve));
  const { port } = running.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, seen };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

describe("over real HTTP on loopback", () => {
  it("re-sends the same POST body after a 429", async () => {
    const clock = createVirtualClock();
    const reset = Math.floor(clock.now() / 1000) + 2;
    const { baseUrl, seen } = await listen((_request, response, all) => {
      if (all.length === 1) {
        sendJson(
          response,
          429,
          { error: { code: "rate_limit_exceeded", message: "slow" } },
          {
            "RateLimit-Limit": "3600",
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": String(reset),
          },
        );
        return;
      }
      sendJson(response, 201, {
        server: server(1, "runner-1"),
        action: action(2, "running"),
        next_actions: [],
        root_password: "not-used",
      });
    });
    const client = createHetznerClient({ token: TOKEN, baseUrl, clock });
    const body = {
      name: "runner-1",
      server_type: "cx23",
      image: "ubuntu-24.04",
      labels: { a: "b" },
    };

    const result = await client.createServer(body);

    expect(result.server.name).toBe("runner-1");
    expect(clock.sleeps).toEqual([2000]);
    expect(seen.map((entry) => [entry.method, entry.url])).toEqual([
      ["POST", "/v1/servers"],
      ["POST", "/v1/servers"],
    ]);
    expect(seen.map((entry) => JSON.parse(entry.body))).toEqual([body, body]);
    expect(seen.every((entry) => entry.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it("retries a GET whose first attempt hangs past timeoutMs", async () => {
    const { baseUrl, seen } = await listen((_request, response, all) => {
      if (all.length === 1) return; // never answer
      sendJson(response, 200, { server: server(3, "patient") });
    });
    const clock = createVirtualClock({ autoAdvance: false });
    const client = createHetznerClient({
      token: TOKEN,
      baseUrl,
      clock,
      retry: { timeoutMs: 10_000, random: () => 0 },
    });

    const result = client.getServer(3);
    await expect.poll(() => seen.length).toBe(1);
    expect(clock.pending).toBe(1); // the first attempt's timeout
    await clock.advance(10_000);
    await expect.poll(() => clock.sleeps).toEqual([10_000, 500]);
    await clock.advance(500);

    await expect(result).resolves.toMatchObject({ name: "patient" });
    expect(seen).toHaveLength(2);
    expect(clock.sleeps).toEqual([10_000, 500, 10_000]);
    expect(clock.pending).toBe(0); // the answered attempt's timeout was cancelled
  });

  it("reports a refused connection as HetznerNetworkError after retrying a GET", async () => {
    const { baseUrl } = await listen(() => {});
    running?.closeAllConnections();
    await new Promise((resolve) => running?.close(resolve));
    running = undefined;
    const clock = createVirtualClock();
    const client = createHetznerClient({ token: TOKEN, baseUrl, clock, retry: { maxRetries: 2 } });

    const error = await client.getServer(1).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect(clock.sleeps).toHaveLength(2);
    expect(everythingReachable(error)).not.toContain(TOKEN);
  });
});
