import { describe, expect, it } from "vitest";
import { ProvisionInputError } from "./errors.js";
import { resolveOptions } from "./resolve-options.js";
import { validateProvisionOptions } from "./validate-provision-options.js";

const valid = { agentId: "agent-42", tailscale: { tags: ["tag:ci"] } };
const withSsh = { agentId: "agent-42", tailscale: { tags: ["tag:ci"], ssh: true } };

function issuesOf(input: unknown) {
  try {
    validateProvisionOptions(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProvisionInputError);
    return (error as ProvisionInputError).issues;
  }
  throw new Error("expected a ProvisionInputError");
}

describe("the sshd option", () => {
  it("defaults to sshd as the image has it", () => {
    expect(resolveOptions(valid, 0).sshd).toBe("everywhere");
    expect(resolveOptions({ ...valid, sshd: "tailnet" }, 0).sshd).toBe("tailnet");
    expect(resolveOptions({ ...withSsh, sshd: "off" }, 0).sshd).toBe("off");
    expect(validateProvisionOptions({ ...valid, sshd: "everywhere" })).toMatchObject({
      sshd: "everywhere",
    });
  });

  it.each([["public"], [true], [""], ["Tailnet"]])(
    "refuses %j, naming every allowed value",
    (sshd) => {
      expect(issuesOf({ ...valid, sshd })).toEqual([
        {
          field: "sshd",
          message: expect.stringMatching(/must be "everywhere" .*"tailnet" .*"off" .*; got/),
        },
      ]);
    },
  );

  it('refuses "off" without Tailscale SSH, naming both fields', () => {
    for (const tailscale of [valid.tailscale, { tags: ["tag:ci"], ssh: false }]) {
      const issues = issuesOf({ ...valid, tailscale, sshd: "off" });
      expect(issues).toEqual([
        { field: "sshd", message: expect.stringContaining("tailscale.ssh: true") },
      ]);
      expect(issues[0]?.message).toMatch(/no way in/);
    }
  });

  it("refuses sshd off the public address together with a public SSH port", () => {
    for (const sshd of ["tailnet", "off"]) {
      expect(issuesOf({ ...withSsh, sshd, publicAccess: { ssh: true } })).toEqual([
        { field: "sshd", message: expect.stringContaining("publicAccess.ssh") },
      ]);
    }
    expect(
      validateProvisionOptions({ ...valid, sshd: "everywhere", publicAccess: { ssh: true } }),
    ).toMatchObject({ sshd: "everywhere" });
  });
});
