import { describe, expect, it } from "vitest";
import { buildCreateKeyBody, validateTags } from "./auth-key-request.js";
import { TailscaleInputError } from "./errors.js";

describe("buildCreateKeyBody", () => {
  it("builds exactly the capabilities.devices.create shape with the documented defaults", () => {
    expect(buildCreateKeyBody({ tags: ["tag:ci"] }, { usesOAuth: true })).toStrictEqual({
      capabilities: {
        devices: {
          create: { reusable: false, ephemeral: true, preauthorized: true, tags: ["tag:ci"] },
        },
      },
    });
  });

  it("refuses an empty tag list for OAuth clients and says why", () => {
    const attempt = () => buildCreateKeyBody({ tags: [] }, { usesOAuth: true });
    expect(attempt).toThrow(TailscaleInputError);
    expect(attempt).toThrow(/OAuth client must carry at least one tag/);
  });

  it("allows an empty tag list with an API access token", () => {
    const body = buildCreateKeyBody({ tags: [] }, { usesOAuth: false });
    expect(body.capabilities?.devices?.create?.tags).toEqual([]);
  });

  it.each([
    ["ci", "tags[0]"],
    ["tag:", "tags[0]"],
    ["tag:1ci", "tags[0]"],
    ["tag:ci_runner", "tags[0]"],
    ["tag:ci runner", "tags[0]"],
  ])("refuses the tag %j and names %s", (tag, field) => {
    try {
      validateTags([tag]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TailscaleInputError);
      expect((error as TailscaleInputError).field).toBe(field);
    }
  });

  it("accepts tags with letters, digits and dashes", () => {
    expect(() => validateTags(["tag:ci", "tag:CI-runner-2"])).not.toThrow();
  });

  it.each([0, -5, 1.5, Number.NaN, 90 * 24 * 3600 + 1])(
    "refuses expirySeconds %s",
    (expirySeconds) => {
      expect(() =>
        buildCreateKeyBody({ tags: ["tag:ci"], expirySeconds }, { usesOAuth: true }),
      ).toThrow(expect.objectContaining({ field: "expirySeconds" }));
    },
  );

  it("refuses a description longer than 50 characters or with other characters", () => {
    for (const description of ["x".repeat(51), "runner_42", "runner #42"]) {
      expect(() =>
        buildCreateKeyBody({ tags: ["tag:ci"], description }, { usesOAuth: true }),
      ).toThrow(expect.objectContaining({ field: "description" }));
    }
    const body = buildCreateKeyBody(
      { tags: ["tag:ci"], description: "x".repeat(50), expirySeconds: 600 },
      { usesOAuth: true },
    );
    expect(body.description).toHaveLength(50);
    expect(body.expirySeconds).toBe(600);
  });
});
