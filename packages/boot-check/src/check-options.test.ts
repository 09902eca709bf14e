import { describe, expect, it } from "vitest";
import { createBootChecker } from "./create-boot-checker.js";

describe("boot checker options", () => {
  it.each([
    [{ cpus: 0 }, "cpus must be a whole number from 1 to 64 (got 0)"],
    [{ memoryMb: 100 }, "memoryMb must be a whole number from 512 to 65536 (got 100)"],
    [{ bootTimeoutMs: 1000 }, "bootTimeoutMs must be at least 30000 (got 1000)"],
    [{ accelerator: "hvf" as "kvm" }, 'accelerator must be "auto", "kvm" or "tcg" (got hvf)'],
  ])("refuses %j before anything starts", (options, message) => {
    expect(() => createBootChecker(options)).toThrow(message);
  });

  it("refuses a bad boot before looking for tools or images", async () => {
    const checker = createBootChecker();
    try {
      await expect(checker.check({ userData: " " })).rejects.toMatchObject({
        name: "BootCheckError",
        phase: "input",
      });
      await expect(
        checker.check({ userData: "#cloud-config\n", image: "ubuntu-24.04" as "debian-12" }),
      ).rejects.toThrow("image must be one of debian-12, debian-13 (got ubuntu-24.04)");
      await expect(
        checker.check({ userData: "#cloud-config\n", hostname: "Bad_Name" }),
      ).rejects.toThrow('hostname must be one RFC 1123 label (got "Bad_Name")');
    } finally {
      await checker.close();
    }
    await expect(checker.check({ userData: "#cloud-config\n" })).rejects.toThrow(
      "This boot checker is closed",
    );
  });
});
