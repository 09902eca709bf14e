import { render, TAILSCALE_APT_KEY_FINGERPRINT, tailscale } from "@tailvm/cloud-init";
import { describe, expect, it } from "vitest";
import { rewriteForStubRepository } from "./stub-rewrite.js";

describe("rewriteForStubRepository", () => {
  it("points tailscale()'s keyring fetch and apt source at the stub repository and its key", () => {
    const userData = render(
      tailscale({ authKey: "tskey-auth-x", hostname: "h", distribution: "debian" }),
    );
    const stub = { url: "http://10.0.2.100/stable/", fingerprint: "AB".repeat(20) };
    const { userData: rewritten, rewritten: changed } = rewriteForStubRepository(userData, stub);
    expect(changed).toBe(true);
    expect(rewritten).not.toContain("pkgs.tailscale.com");
    expect(rewritten).not.toContain(TAILSCALE_APT_KEY_FINGERPRINT);
    expect(rewritten).toContain("'--repository=http://10.0.2.100/stable/debian'");
    expect(rewritten).toContain(`'--fingerprint=${"AB".repeat(20)}'`);
    expect(rewritten).toContain("] http://10.0.2.100/stable/debian $RELEASE main");
  });

  it("leaves user data that does not name Tailscale's repository alone", () => {
    const userData = "#cloud-config\nruncmd: [[echo, hi]]\n";
    expect(
      rewriteForStubRepository(userData, { url: "http://x/stable", fingerprint: "F" }),
    ).toEqual({
      userData,
      rewritten: false,
    });
  });
});
