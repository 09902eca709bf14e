import { describe, expect, it } from "vitest";
import { ProvisionInputError } from "./errors.js";
import { resolveOptions } from "./resolve-options.js";
import { validateProvisionOptions } from "./validate-provision-options.js";

const valid = { agentId: "agent-42", tailscale: { tags: ["tag:ci"] } };

function issuesOf(input: unknown) {
  try {
    validateProvisionOptions(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProvisionInputError);
    return (error as ProvisionInputError).issues;
  }
  throw new Error("expected a ProvisionInputError");
}

describe("validateProvisionOptions", () => {
  it("accepts the minimal options and returns them", () => {
    expect(validateProvisionOptions(valid)).toEqual(valid);
  });

  it("refuses a Tailscale repository that does not fit the image", () => {
    expect(
      issuesOf({
        ...valid,
        image: "debian-12",
        tailscale: { tags: ["tag:ci"], distribution: "ubuntu" },
      }),
    ).toEqual([{ field: "tailscale.distribution", message: expect.stringContaining("debian-12") }]);
    // The default image is Ubuntu.
    expect(issuesOf({ ...valid, tailscale: { tags: ["tag:ci"], distribution: "debian" } })).toEqual(
      [{ field: "tailscale.distribution", message: expect.stringContaining("ubuntu-24.04") }],
    );
    expect(issuesOf({ ...valid, tailscale: { tags: ["tag:ci"], distribution: "fedora" } })).toEqual(
      [{ field: "tailscale.distribution", message: expect.stringContaining('"debian"') }],
    );
    expect(issuesOf({ ...valid, image: "fedora-41" })).toEqual([
      { field: "image", message: expect.stringContaining("no apt") },
    ]);
  });

  it("names every bad field at once, each with what is allowed", () => {
    const issues = issuesOf({
      agentId: "",
      jobId: "has space",
      name: "Upper_Case",
      region: "mars",
      serverType: "CX 22",
      image: "",
      sshKeys: [0, ""],
      labels: { "managed-by": "me", "bad key!": "x", ok: "-bad-value" },
      tailscale: { tags: ["ci"], ssh: "yes" },
      cloudInit: ["runcmd"],
      ttl: "2 weeks",
      timeouts: { total: -1, deviceJoins: 5 },
      signal: "stop",
      regoin: "eu-central",
    });
    const fields = issues.map((issue) => issue.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "agentId",
        "jobId",
        "name",
        "region",
        "serverType",
        "image",
        "sshKeys[0]",
        "sshKeys[1]",
        'labels["managed-by"]',
        'labels["bad key!"]',
        'labels["ok"]',
        "tailscale.tags[0]",
        "tailscale.ssh",
        "cloudInit[0]",
        "ttl",
        "timeouts.total",
        "timeouts.deviceJoins",
        "signal",
        "regoin",
      ]),
    );
    expect(issues).toHaveLength(19);
  });

  it("says 'is required' only for a missing value, and what is allowed for a bad one", () => {
    const [missing] = issuesOf({ tailscale: { tags: ["tag:ci"] } });
    expect(missing?.message).toMatch(/^is required/);
    const [bad] = issuesOf({ ...valid, agentId: "agent 42" });
    expect(bad?.message).toMatch(/^must be 1-63 characters/);
    expect(bad?.message).toContain('got "agent 42"');
    const [tags] = issuesOf({ ...valid, tailscale: { tags: "tag:ci" } });
    expect(tags?.message).toMatch(/^must be an array/);
  });

  it("reports cloud-init fragment problems together with the other bad fields", () => {
    const issues = issuesOf({
      ...valid,
      agentId: "agent 42",
      cloudInit: [{ write_files: [{ path: "relative/path", content: "x" }] }],
    });
    expect(issues.map((issue) => issue.field)).toEqual([
      "agentId",
      expect.stringContaining("cloudInit[0].write_files[0].path"),
    ]);
  });

  it("checks the machine requirement and refuses it beside serverType", () => {
    expect(validateProvisionOptions({ ...valid, machine: { architecture: "arm" } })).toBeTruthy();
    const issues = issuesOf({
      ...valid,
      serverType: "cx23",
      machine: { architecture: "risc", cpu: "fast", minCores: 1.5, maxMonthlyPrice: -1, ram: 4 },
    });
    expect(issues.map((issue) => issue.field)).toEqual([
      "machine",
      "machine.ram",
      "machine.architecture",
      "machine.cpu",
      "machine.minCores",
      "machine.maxMonthlyPrice",
    ]);
    expect(issues[2]?.message).toBe('must be "x86" or "arm"; got "risc"');
  });

  it("lists the valid regions and locations for an unknown region", () => {
    const [issue] = issuesOf({ ...valid, region: "us-central" });
    expect(issue?.field).toBe("region");
    for (const name of ["eu-central", "eu-north", "us-east", "us-west", "ap-southeast", "fsn1"]) {
      expect(issue?.message).toContain(name);
    }
  });

  it("requires agentId and at least one tag", () => {
    const issues = issuesOf({ tailscale: { tags: [] } });
    expect(issues.map((issue) => issue.field)).toEqual(["agentId", "tailscale.tags"]);
    expect(issuesOf({ agentId: "a" }).map((issue) => issue.field)).toEqual(["tailscale"]);
  });

  it("rejects candidates combined with region or serverType, and unknown locations", () => {
    const issues = issuesOf({
      ...valid,
      region: "eu-central",
      candidates: [{ serverType: "cx23", location: "xyz1" }],
    });
    expect(issues.map((issue) => issue.field)).toEqual(["candidates", "candidates[0].location"]);
  });

  it("rejects what is not an object", () => {
    expect(issuesOf(null)[0]?.field).toBe("options");
    expect(issuesOf("agent")[0]?.field).toBe("options");
  });

  it("puts every problem in the error message", () => {
    expect(() => validateProvisionOptions({ agentId: "", tailscale: { tags: [] } })).toThrow(
      /agentId[\s\S]*tailscale\.tags/,
    );
  });
});

const withSsh = { agentId: "agent-42", tailscale: { tags: ["tag:ci"], ssh: true } };

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

describe("resolveOptions", () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);

  it("maps eu-central to nbg1 then fsn1 and leaves the type to the machine requirement", () => {
    const resolved = resolveOptions(valid, now);
    expect(resolved.candidates).toEqual([]);
    expect(resolved.locations).toEqual(["nbg1", "fsn1"]);
    expect(resolved.machine).toMatchObject({ architecture: "x86", cpu: "shared", minCores: 2 });
  });

  it("names the option each explicit candidate came from", () => {
    expect(resolveOptions({ ...valid, serverType: "cx23" }, now).candidates).toEqual([
      { serverType: "cx23", location: "nbg1", field: "serverType" },
      { serverType: "cx23", location: "fsn1", field: "serverType" },
    ]);
    const explicit = resolveOptions(
      { ...valid, candidates: [{ serverType: "cax11", location: "hel1" }] },
      now,
    );
    expect(explicit.candidates).toEqual([
      { serverType: "cax11", location: "hel1", field: "candidates[0].serverType" },
    ]);
    expect(explicit.locations).toEqual(["hel1"]);
  });

  it.each([
    ["eu-north", ["hel1"]],
    ["us-east", ["ash"]],
    ["us-west", ["hil"]],
    ["ap-southeast", ["sin"]],
    ["fsn1", ["fsn1"]],
  ])("maps %s to %j", (region, locations) => {
    const resolved = resolveOptions({ ...valid, region, serverType: "cpx22" }, now);
    expect(resolved.candidates.map((candidate) => candidate.location)).toEqual(locations);
    expect(resolved.candidates.every((candidate) => candidate.serverType === "cpx22")).toBe(true);
  });

  it("derives a lower-case RFC 1123 name from the agent id and the time", () => {
    const resolved = resolveOptions({ ...valid, agentId: "Build_Agent.42" }, now);
    expect(resolved.name).toBe(`agent-build-ag-${now.toString(36)}`);
    expect(resolved.name).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
  });

  it("writes tailvm's labels and an expires-at label in epoch seconds", () => {
    const resolved = resolveOptions(
      { ...valid, jobId: "job-7", ttl: "2h", labels: { team: "infra" } },
      now,
    );
    expect(resolved.labels).toEqual({
      team: "infra",
      "managed-by": "tailvm",
      "tailvm/agent-id": "agent-42",
      "tailvm/job-id": "job-7",
      "tailvm/expires-at": String(now / 1000 + 7200),
    });
    expect(resolved.expiresAt).toBe(now / 1000 + 7200);
  });

  it("derives the Tailscale repository from the image, unless set for a custom image", () => {
    expect(resolveOptions(valid, now).distribution).toBe("ubuntu");
    expect(resolveOptions({ ...valid, image: "debian-12" }, now).distribution).toBe("debian");
    expect(resolveOptions({ ...valid, image: "ubuntu-22.04" }, now).distribution).toBe("ubuntu");
    expect(resolveOptions({ ...valid, image: "184950123" }, now).distribution).toBe("ubuntu");
    expect(
      resolveOptions(
        { ...valid, image: "184950123", tailscale: { tags: ["tag:ci"], distribution: "debian" } },
        now,
      ).distribution,
    ).toBe("debian");
  });

  it("keeps a caller's name and applies defaults", () => {
    const resolved = resolveOptions({ ...valid, name: "runner-1" }, now);
    expect(resolved).toMatchObject({
      name: "runner-1",
      image: "ubuntu-24.04",
      ephemeral: true,
      ssh: false,
      jobId: null,
      expiresAt: null,
      timeouts: { total: 600_000, serverRunning: 300_000, deviceJoin: 300_000 },
    });
  });
});
