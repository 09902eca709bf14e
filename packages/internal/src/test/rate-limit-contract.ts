import { describe, expect, it } from "vitest";
import type { AttemptSubject } from "./attempt-contract.js";
import { countedFetch } from "./counted.js";

/** A client under test as the rate-limit rules see it, and how its API says when to come back. */
export interface RateLimitSubject extends Pick<AttemptSubject, "connect" | "readAnswer"> {
  /** The answer `create` succeeds with, and what it then resolves with (as `toMatchObject`). */
  createAnswer: { response: () => Response; resolves: object };
  /**
   * The API's 429 telling the client to send the request again in `seconds`, the way this API
   * says it (`nowMs` is the client's clock when it answers).
   */
  rateLimitedFor(seconds: number, nowMs: number): Response;
  /** The paths the client's retry events name for `read` and `create`. */
  eventPaths: { read: string; create: string };
  /**
   * The rest of the client's retry event for a 429 that said `seconds` (`reason`, and `code`
   * where the API sends one).
   */
  rateLimitEvent(seconds: number): Record<string, unknown>;
}

/**
 * The rule every client keeps for a 429 that says when to come back: the request, a POST too (a
 * 429 means nothing was applied), is sent again after exactly that wait, and the client reports
 * one retry event naming the attempt, the wait, the method, the path and the status.
 *
 * @example
 * ```ts
 * describeRateLimitRules({
 *   connect: ({ fetch, retry }) => { ... },
 *   readAnswer: { response: () => Response.json({ devices: [] }), resolves: [] },
 *   createAnswer: { response: () => Response.json({ id: "k1" }), resolves: { id: "k1" } },
 *   rateLimitedFor: (seconds) =>
 *     Response.json({}, { status: 429, headers: { "Retry-After": String(seconds) } }),
 *   eventPaths: { read: "/tailnet/-/devices", create: "/tailnet/-/keys" },
 *   rateLimitEvent: (seconds) => ({ reason: `rate limited (HTTP 429), Retry-After ${seconds} s` }),
 * });
 * ```
 */
export function describeRateLimitRules(subject: RateLimitSubject): void {
  describe("rate-limit rules", () => {
    it.each([
      { kind: "read", method: "GET" },
      { kind: "create", method: "POST" },
    ] as const)(
      "sends a $method again after the wait a 429 states, and reports it once",
      async ({ kind, method }) => {
        const answer = kind === "read" ? subject.readAnswer : subject.createAnswer;
        const fetch = countedFetch((call) =>
          call === 1 ? subject.rateLimitedFor(7, client.clock.now()) : answer.response(),
        );
        const client = subject.connect({ fetch, retry: { random: () => 0 } });

        await expect(client[kind]()).resolves.toMatchObject(answer.resolves);

        expect(fetch.count).toBe(2);
        expect(client.clock.sleeps).toEqual([7_000]);
        expect(client.retries).toEqual([
          {
            attempt: 1,
            delayMs: 7_000,
            method,
            path: subject.eventPaths[kind],
            status: 429,
            ...subject.rateLimitEvent(7),
          },
        ]);
      },
    );
  });
}
