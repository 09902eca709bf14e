import { describe, expect, it } from "vitest";
import { action } from "../test/fixtures";
import {
  HetznerActionError,
  HetznerApiError,
  type HetznerApiErrorInit,
  HetznerError,
  HetznerInputError,
  HetznerNetworkError,
  HetznerTimeoutError,
  isHetznerApiError,
} from "./errors";

/** An API error for `GET /servers`, with what a test checks given in `init`. */
function apiError(init: Partial<HetznerApiErrorInit>): HetznerApiError {
  return new HetznerApiError({
    status: 500,
    code: "server_error",
    method: "GET",
    path: "/servers",
    ...init,
  });
}

describe("HetznerApiError", () => {
  it("says what failed and what to do next", () => {
    const error = apiError({
      status: 412,
      code: "resource_unavailable",
      apiMessage: "server type cx23 unavailable",
      method: "POST",
    });

    expect(error.message).toBe(
      "Hetzner API POST /servers failed with 412 resource_unavailable: server type cx23 unavailable. This server type is not available in the chosen location right now; try another location or server type.",
    );
    expect(error).toBeInstanceOf(HetznerError);
    expect(error.isRetryable).toBe(false);
  });

  it("serialises its context, and its cause without a stack", () => {
    const error = apiError({ cause: new Error("boom"), isRetryable: true });

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "HetznerApiError",
      message: "Hetzner API GET /servers failed with 500 server_error. Try again later.",
      isRetryable: true,
      status: 500,
      code: "server_error",
      method: "GET",
      path: "/servers",
      cause: { name: "Error", message: "boom" },
    });
  });
});

describe("HetznerActionError", () => {
  it("carries the action and its error code", () => {
    const failed = action(3, "error", { code: "image_unavailable", message: "image is gone" });
    const error = new HetznerActionError(failed);

    expect(error.code).toBe("image_unavailable");
    expect(error.action).toBe(failed);
    expect(error.message).toContain("action 3 (create_server) failed with image_unavailable");
  });
});

describe("isHetznerApiError", () => {
  it("only matches API errors, optionally by code", () => {
    const error = apiError({ status: 404, code: "not_found" });

    expect(isHetznerApiError(error)).toBe(true);
    expect(isHetznerApiError(error, "not_found")).toBe(true);
    expect(isHetznerApiError(error, "locked")).toBe(false);
    expect(isHetznerApiError(new HetznerTimeoutError("late", 10))).toBe(false);
    expect(isHetznerApiError(new Error("plain"))).toBe(false);
  });
});

describe("hints", () => {
  it("says which token a 401 refused and where it is set", () => {
    for (const code of ["unauthorized", "http_401"]) {
      const error = apiError({ status: 401, code });
      expect(error.message).toMatch(/The Hetzner API token was refused/);
      expect(error.message).toMatch(/createHetznerClient\(\{ token \}\)/);
    }
  });

  it.each([
    [403, "forbidden", "POST", "/servers", /Read & Write token/, false],
    [423, "locked", "POST", "/servers/1/actions/poweron", /Another action is running/, true],
    [418, "http_418", "GET", "/x", /^Hetzner API GET \/x failed with 418 http_418\.$/, false],
  ])(
    "chooses the hint by code, and by status for a body without one: %i %s",
    (status, code, method, path, message, isRetryable) => {
      const error = apiError({ status, code, method, path });
      expect(error.message).toMatch(message);
      expect(error.isRetryable).toBe(isRetryable);
    },
  );
});

describe("toJSON", () => {
  const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
    code: "ECONNREFUSED",
  });

  it.each([
    [
      new HetznerNetworkError({
        method: "GET",
        path: "/servers",
        reason: "ECONNREFUSED",
        cause,
        isRetryable: true,
      }),
      {
        name: "HetznerNetworkError",
        method: "GET",
        path: "/servers",
        isRetryable: true,
        cause: { name: "Error", code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:1" },
      },
    ],
    [
      new HetznerActionError(action(3, "error", { code: "server_create_failed", message: "no" })),
      { name: "HetznerActionError", code: "server_create_failed", action: { id: 3 } },
    ],
    [
      new HetznerTimeoutError("late", 10),
      { name: "HetznerTimeoutError", timeoutMs: 10, isRetryable: true },
    ],
    [new HetznerInputError("body.name", "bad"), { name: "HetznerInputError", field: "body.name" }],
    [new HetznerError("plain", { cause: "a reason" }), { name: "HetznerError", cause: "a reason" }],
  ])("keeps the message and context of %s", (error, expected) => {
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ ...expected, message: error.message });
  });

  it("names the short reason of a network error once and keeps the rest in the cause", () => {
    const error = new HetznerNetworkError({
      method: "GET",
      path: "/servers",
      reason: "ECONNREFUSED",
      cause,
    });
    expect(error.message).toBe(
      "Hetzner API GET /servers got no response (ECONNREFUSED). Check the network and the base URL, then try again.",
    );
    expect(error.message).not.toContain(cause.message);
  });
});
