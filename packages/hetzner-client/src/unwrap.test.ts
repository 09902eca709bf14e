import { connectionRefused, everythingReachable } from "@tailvm/internal/test";
import { expectRefusedConnectionCause } from "@tailvm/internal/test/contracts";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createBody, errorResponse, TOKEN } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import { HetznerApiError, HetznerError, HetznerNetworkError, isHetznerApiError } from "./errors";

const mock = useHetznerApi();

describe("errors", () => {
  it("turns a 404 into HetznerApiError not_found with method, path and correlation id", async () => {
    mock.get("/servers/:id", () =>
      HttpResponse.json(
        { error: { code: "not_found", message: "server with ID '42' not found", details: {} } },
        { status: 404, headers: { "X-Correlation-Id": "abc-123" } },
      ),
    );
    const { client } = makeClient();

    const error = await client.getServer(42).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerApiError);
    expect(error).toBeInstanceOf(HetznerError);
    expect(error).toMatchObject({
      name: "HetznerApiError",
      status: 404,
      code: "not_found",
      method: "GET",
      path: "/servers/42",
      requestId: "abc-123",
      isRetryable: false,
    });
    expect(String(error)).toContain("GET /servers/42 failed with 404 not_found");
    expect(isHetznerApiError(error, "not_found")).toBe(true);
    expect(isHetznerApiError(error, "conflict")).toBe(false);
  });

  it("falls back to http_<status> when the body carries no Hetzner error", async () => {
    mock.get("/servers/:id", () => new HttpResponse("nope", { status: 418 }));
    const { client } = makeClient();

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 418, code: "http_418" });
  });

  it.each([
    [409, "uniqueness_error", "server name is already used"],
    [412, "resource_unavailable", "server type unavailable in this location"],
    [403, "resource_limit_exceeded", "server limit reached"],
    [422, "invalid_input", "invalid input in field 'image'"],
  ])("types a %i %s on create", async (status, code, message) => {
    const calls: number[] = [];
    mock.post("/servers", () => {
      calls.push(1);
      return errorResponse(status, code, message);
    });
    const { client } = makeClient();

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);

    expect(isHetznerApiError(error, code)).toBe(true);
    expect(error).toMatchObject({ status, code, method: "POST", path: "/servers" });
    expect((error as Error).message).toContain(message);
    expect(calls).toHaveLength(1);
  });

  it("never exposes the token in an API error", async () => {
    mock.get("/servers/:id", () => errorResponse(401, "unauthorized", `token ${TOKEN} is invalid`));
    const { client } = makeClient();

    const error = await client.getServer(1).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: "unauthorized", status: 401 });
    const exposed = everythingReachable(error);
    expect(exposed).toContain("unauthorized");
    expect(exposed).not.toContain(TOKEN);
    expect(exposed).not.toMatch(/authorization/i);
  });

  it("never exposes the token in a network error, even when the cause mentions it", async () => {
    const { client } = makeClient({
      fetch: async (input) => {
        const request = input as Request;
        throw new TypeError("fetch failed", {
          cause: new Error(
            `socket hang up; Authorization: ${request.headers.get("authorization")}`,
          ),
        });
      },
    });

    const error = await client.getServer(1).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    expect((error as HetznerNetworkError).cause).toBeDefined();
    const exposed = everythingReachable(error);
    expect(exposed).toContain("socket hang up");
    expect(exposed).not.toContain(TOKEN);
  });

  it("does not call a POST that got a 5xx retryable, and says how to check for the resource", async () => {
    const calls = mock.counted("post", "/servers", () =>
      errorResponse(503, "unavailable", "service unavailable"),
    );
    mock.get("/servers/:id", () => errorResponse(503, "unavailable"));
    const { client } = makeClient();

    const postError = await client.createServer(createBody).catch((caught: unknown) => caught);
    const getError = await client.getServer(1).catch((caught: unknown) => caught);

    expect(calls.count).toBe(1);
    expect(postError).toMatchObject({ method: "POST", status: 503, isRetryable: false });
    expect((postError as Error).message).toMatch(/may already exist/);
    expect((postError as Error).message).toMatch(/name or label selector/);
    expect((postError as Error).message).not.toMatch(/try again later/i);
    expect(everythingReachable(postError)).not.toContain(TOKEN);
    expect(getError).toMatchObject({ method: "GET", status: 503, isRetryable: true });
  });

  it("keeps the token out of a network error whose cause carries the request", async () => {
    const { client } = makeClient({
      retry: false,
      fetch: async (input) => {
        throw connectionRefused(input as Request);
      },
    });

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    expectRefusedConnectionCause(error, [TOKEN]);
  });

  it("keeps the token out of toJSON", async () => {
    mock.post("/servers", () => errorResponse(409, "uniqueness_error"));
    const { client } = makeClient();

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;

    expect(json).toMatchObject({ name: "HetznerApiError", code: "uniqueness_error", status: 409 });
    expect(JSON.stringify(json)).not.toContain(TOKEN);
  });
});
