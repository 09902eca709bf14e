import { describe, expect, it } from "vitest";
import { distributionForImage, distributionProblem } from "./tailscale-distribution.js";

describe("distributionForImage", () => {
  it.each([
    ["debian-12", "debian"],
    ["debian-11", "debian"],
    ["ubuntu-24.04", "ubuntu"],
    ["ubuntu-22.04", "ubuntu"],
    ["123456789", "ubuntu"],
    ["my-snapshot", "ubuntu"],
  ] as const)("maps %s to %s", (image, distribution) => {
    expect(distributionForImage(image)).toBe(distribution);
  });
});

describe("distributionProblem", () => {
  it("accepts the image's own family, or any choice for a snapshot", () => {
    expect(distributionProblem("debian-12", "debian")).toBeUndefined();
    expect(distributionProblem("debian-12", undefined)).toBeUndefined();
    expect(distributionProblem("123456789", "debian")).toBeUndefined();
    expect(distributionProblem("my-snapshot", "ubuntu")).toBeUndefined();
  });

  it("refuses a repository of the other family", () => {
    expect(distributionProblem("debian-12", "ubuntu")).toMatchObject({
      field: "tailscale.distribution",
      message: expect.stringContaining("debian-12 is debian"),
    });
    expect(distributionProblem("ubuntu-24.04", "debian")?.field).toBe("tailscale.distribution");
  });

  it("refuses images without apt", () => {
    for (const image of ["fedora-41", "centos-stream-9", "rocky-9", "alma-9"]) {
      expect(distributionProblem(image, undefined)).toMatchObject({
        field: "image",
        message: expect.stringContaining("no apt"),
      });
    }
  });
});
