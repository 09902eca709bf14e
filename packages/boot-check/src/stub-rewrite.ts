import { TAILSCALE_APT_KEY_FINGERPRINT, TAILSCALE_APT_REPOSITORY } from "@tailvm/cloud-init";

/**
 * Points user data made by `@tailvm/cloud-init`'s `tailscale()` at another repository: every
 * `https://pkgs.tailscale.com/stable` becomes `repository`, and the pinned fingerprint becomes
 * `fingerprint`. Only plain text is rewritten (not base64 MIME parts); `rewritten` says whether
 * anything was.
 *
 * @example
 * ```ts
 * const { userData } = rewriteForStubRepository(render(config), await checker.stubRepository());
 * ```
 */
export function rewriteForStubRepository(
  userData: string,
  stub: { url: string; fingerprint: string },
): { userData: string; rewritten: boolean } {
  const rewrittenText = userData
    .replaceAll(TAILSCALE_APT_REPOSITORY, stub.url.replace(/\/+$/, ""))
    .replaceAll(TAILSCALE_APT_KEY_FINGERPRINT, stub.fingerprint);
  return { userData: rewrittenText, rewritten: rewrittenText !== userData };
}
