import { describe, expect, it } from "vitest";
import { LABEL_KEYS, labelKeyProblem, labelValueProblem } from "./labels.js";

describe("Hetzner label rules", () => {
  it("accepts tailvm's own keys", () => {
    for (const key of Object.values(LABEL_KEYS)) expect(labelKeyProblem(key)).toBeUndefined();
  });

  it.each(["env", "example.com/my", "a.b_c-d", "x".repeat(63)])("accepts key %s", (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });

  it.each(["", "-env", "env-", "x".repeat(64), "Bad_Prefix/x", "hetzner.cloud/x", "a b"])(
    "rejects key %j",
    (key) => {
      expect(labelKeyProblem(key)).toBeTypeOf("string");
    },
  );

  it.each(["", "v", "1764400000", "a-b.c_d"])("accepts value %j", (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });

  it.each(["-v", "v-", "a:b", "x".repeat(64), "2026-11-29T12:00:00Z"])(
    "rejects value %j",
    (value) => {
      expect(labelValueProblem(value)).toBeTypeOf("string");
    },
  );
});
