import { describe, expect, it } from "vitest";
import { detectAccelerator, detectMirror, findHostTools } from "./host-tools.js";

const files = (contents: Record<string, string>) => (path: string) => {
  const content = contents[path];
  if (content === undefined) throw new Error(`ENOENT ${path}`);
  return content;
};

describe("host tools", () => {
  it("uses KVM only where it can run a stock kernel", () => {
    const vmx = { "/proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu vme vmx sse\n" };
    expect(detectAccelerator(files(vmx), () => true)).toBe("kvm");
    expect(detectAccelerator(files(vmx), () => false)).toBe("tcg");
    expect(
      detectAccelerator(
        files({ ...vmx, "/proc/modules": "kvm_pvm 16384 0 - Live 0x0\n" }),
        () => true,
      ),
    ).toBe("tcg");
    const noFlag = { "/proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu vme sse\n" };
    expect(detectAccelerator(files(noFlag), () => true)).toBe("tcg");
    expect(detectAccelerator(files({}), () => true)).toBe("tcg");
  });

  it("takes the mirror from apt's deb822 sources, then sources.list, then deb.debian.org", () => {
    expect(
      detectMirror(
        files({
          "/etc/apt/sources.list.d/debian.sources":
            "Types: deb\n# http://snapshot.debian.org/archive\nURIs: http://mirror.example/debian\nSuites: bookworm\n",
        }),
      ),
    ).toBe("http://mirror.example/debian");
    expect(
      detectMirror(
        files({
          "/etc/apt/sources.list": "# x\ndeb [arch=amd64] http://m2.example/debian bookworm main\n",
        }),
      ),
    ).toBe("http://m2.example/debian");
    expect(detectMirror(files({}))).toBe("http://deb.debian.org/debian");
  });

  it("names the Debian package of each missing tool", () => {
    const { tools, missing } = findHostTools(["cp"]);
    expect(tools.cp).toMatch(/\/cp$/);
    expect(missing).toEqual([]);
    expect(findHostTools(["qemu", "mcopy"], "/nonexistent")).toEqual({
      tools: {},
      missing: [
        "qemu-system-x86_64 (apt-get install qemu-system-x86)",
        "mcopy (apt-get install mtools)",
      ],
    });
  });
});
