import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { isSecret, REDACTED_TEXT, Secret, secret } from "./secret.js";

describe("secret", () => {
  it("keeps the value for the renderer and hides it everywhere else", () => {
    const value = secret("tskey-auth-hidden");
    expect(value.reveal()).toBe("tskey-auth-hidden");
    expect(String(value)).toBe(REDACTED_TEXT);
    expect(`${value}`).toBe("***");
    expect(JSON.stringify({ value })).toBe('{"value":"***"}');
    expect(inspect(value)).toBe("Secret(***)");
    expect(inspect({ nested: [value] })).not.toContain("hidden");
  });

  it("rejects a non-string", () => {
    expect(() => secret(42 as unknown as string)).toThrow(/takes a string/);
  });

  it("isSecret tells secrets from strings", () => {
    expect(isSecret(secret("x"))).toBe(true);
    expect(isSecret(new Secret("x"))).toBe(true);
    expect(isSecret("x")).toBe(false);
    expect(isSecret({ reveal: () => "x" })).toBe(false);
    expect(isSecret(null)).toBe(false);
  });
});
