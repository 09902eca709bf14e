import { describe, expect, it } from "vitest";
import { action } from "../test/helpers";
import {
  HetznerActionError,
  HetznerApiError,
  HetznerError,
  HetznerTimeoutError,
  isHetznerApiError,
} from "./errors";

describe("HetznerApiError", () => {
  it("says what failed and what to do next", () => {
    const error = new HetznerApiError({
      status: 412,
      code: "resource_unavailable",
      apiMessage: "server type cx23 unavailable",
      method: "POST",
      path: "/servers",
    });

    expect(error.message).toBe(
      "Hetzner API POST /servers failed with 412 resource_unavailable: server type cx23 unavailable. This server type is not available in the chosen location right now; try another location or server type.",
    );
    expect(error).toBeInstanceOf(HetznerError);
    expect(error.isRetryable).toBe(false);
  });

  it("serialises its context, and its cause without a stack", () => {
    const error = new HetznerApiError({
      status: 500,
      code: "server_error",
      method: "GET",
      path: "/servers",
      cause: new Error("boom"),
      isRetryable: true,
    });

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
    const error = new HetznerApiError({
      status: 404,
      code: "not_found",
      method: "GET",
      path: "/x",
    });

    expect(isHetznerApiError(error)).toBe(true);
    expect(isHetznerApiError(error, "not_found")).toBe(true);
    expect(isHetznerApiError(error, "locked")).toBe(false);
    expect(isHetznerApiError(new HetznerTimeoutError("late", 10))).toBe(false);
    expect(isHetznerApiError(new Error("plain"))).toBe(false);
  });
});
