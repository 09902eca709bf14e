import { describe, expect, it } from "vitest";
import type { AttemptSubject, ClientMiddleware } from "./attempt-contract.js";
import { counted, countedFetch } from "./counted.js";
import type { RateLimitSubject } from "./rate-limit-contract.js";

/** A client under test as the middleware rules see it, and what its API answers. */
export interface MiddlewareSubject
  extends Pick<AttemptSubject, "connect" | "readAnswer" | "failure">,
    Pick<RateLimitSubject, "createAnswer" | "rateLimitedFor"> {
  /** The URL path `read` sends its request to. */
  readPath: string;
  /** The JSON body `create` sends. */
  createBody: object;
}

/**
 * The rules every client keeps for the middleware a user adds with `api.use()`: its `onRequest`
 * and `onResponse` run on every attempt of a retried request (a 429, then a 502, then an answer),
 * each request carrying the client's `Authorization` header, and not at all once `api.eject()`
 * removed it; a middleware that returns a new `Request` sees every attempt of a POST retried
 * after a 429, and each attempt sends the same body.
 *
 * @example
 * ```ts
 * describeMiddlewareRules({
 *   connect: ({ fetch, retry }) => { ... },
 *   readPath: "/api/v2/tailnet/-/devices",
 *   readAnswer: { response: () => Response.json({ devices: [] }), resolves: [] },
 *   failure: (status) => Response.json({ message: "failed" }, { status }),
 *   rateLimitedFor: (seconds) =>
 *     Response.json({}, { status: 429, headers: { "Retry-After": String(seconds) } }),
 *   createAnswer: { response: () => Response.json({ id: "k1", key: "..." }), resolves: { id: "k1" } },
 *   createBody: { capabilities: { ... }, description: "runner 1" },
 * });
 * ```
 */
export function describeMiddlewareRules(subject: MiddlewareSubject): void {
  describe("middleware added with api.use()", () => {
    it("runs onRequest and onResponse on every attempt of a retried request", async () => {
      const fetch = countedFetch((call) => {
        if (call === 1) return subject.rateLimitedFor(1, client.clock.now());
        return call === 2 ? subject.failure(502) : subject.readAnswer.response();
      });
      const client = subject.connect({ fetch, retry: { random: () => 0 } });
      const seen: string[] = [];
      const middleware: ClientMiddleware = {
        onRequest: ({ request }) => {
          const authorized = request.headers.has("authorization") ? " authorized" : "";
          seen.push(`request ${request.method} ${new URL(request.url).pathname}${authorized}`);
          return undefined;
        },
        onResponse: ({ response }) => {
          seen.push(`response ${response.status}`);
          return undefined;
        },
      };
      client.use(middleware);

      await expect(client.read()).resolves.toMatchObject(subject.readAnswer.resolves);

      const request = `request GET ${subject.readPath} authorized`;
      expect(seen).toEqual([
        request,
        "response 429",
        request,
        "response 502",
        request,
        "response 200",
      ]);
      expect(client.retries.map((event) => event.status)).toEqual([429, 502]);

      client.eject(middleware);
      await client.read();
      expect(fetch.count).toBe(4);
      expect(seen).toHaveLength(6);
    });

    it("lets a middleware replace the request of a POST retried after a 429", async () => {
      const bodies: unknown[] = [];
      const marks: (string | null)[] = [];
      const fetch = countedFetch(async (call, request) => {
        bodies.push(await request.json());
        marks.push(request.headers.get("x-attempt"));
        return call === 1
          ? subject.rateLimitedFor(1, client.clock.now())
          : subject.createAnswer.response();
      });
      const client = subject.connect({ fetch, retry: { random: () => 0 } });
      client.use({
        onRequest: counted((attempt, { request }: { request: Request }) => {
          const headers = new Headers(request.headers);
          headers.set("x-attempt", String(attempt));
          return new Request(request, { headers });
        }),
      });

      await expect(client.create()).resolves.toMatchObject(subject.createAnswer.resolves);

      expect(bodies).toEqual([subject.createBody, subject.createBody]);
      expect(marks).toEqual(["1", "2"]);
      expect(client.clock.sleeps).toHaveLength(1);
    });
  });
}
