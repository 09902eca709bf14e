import type { ShellWord } from "./shell-commands.js";

/**
 * An apt repository with Tailscale's layout (`<url>/<distribution>`, the keyring at
 * `<url>/<distribution>/<codename>.noarmor.gpg`) and the fingerprint of the key it serves.
 *
 * @example
 * ```ts
 * const local: TailscaleRepository = { url: "http://10.0.2.100/stable", keyFingerprint: "0123...CDEF" };
 * ```
 */
export interface TailscaleRepository {
  url: string;
  keyFingerprint: string;
}

/** Tailscale's own repositories, both signed with its package repository key. */
export const PKGS_TAILSCALE_COM: readonly TailscaleRepository[] = ["stable", "unstable"].map(
  (track) => ({
    url: `https://pkgs.tailscale.com/${track}`,
    keyFingerprint: "2596A99EAAB33821893C0A79458CA832957F5868",
  }),
);

const trimSlashes = (url: string) => url.replace(/\/+$/, "");

/** The repository and distribution an apt source line or URL points into, if any. */
export function findTailscaleRepository(
  text: string,
  repositories: readonly TailscaleRepository[],
): { repository: TailscaleRepository; distribution: string } | undefined {
  for (const repository of repositories) {
    const base = trimSlashes(repository.url);
    let index = text.indexOf(`${base}/`);
    while (index !== -1) {
      const before = index === 0 ? "" : text[index - 1];
      const distribution = /^([a-z]+)\b/.exec(text.slice(index + base.length + 1))?.[1];
      if ((before === "" || /[\s\]='"]/.test(before ?? "")) && distribution !== undefined) {
        return { repository, distribution };
      }
      index = text.indexOf(`${base}/`, index + 1);
    }
  }
  return undefined;
}

/**
 * What a `bootcmd` command is taken to download: the absolute paths among its arguments (alone or
 * as `--option=PATH`) when an http(s) URL is one too, as with `curl -o PATH URL`, `wget -O PATH
 * URL` or @tailvm/cloud-init's keyring fetch (`--repository=URL --fingerprint=F --keyring=PATH`).
 * The content is unknown: a `signed-by` keyring counts as present, an auth key file does not.
 * With a `--fingerprint=` pin and a URL into a known repository that serves another key, the
 * download is refused and `refused` says why.
 */
export function readDownload(
  command: readonly ShellWord[],
  repositories: readonly TailscaleRepository[],
): { paths: string[]; refused?: string } {
  const words = command.map((word) => word.text);
  const url = words.find((word) => /(^|=)https?:\/\//.test(word))?.replace(/^--?[a-z][a-z-]*=/, "");
  if (url === undefined) return { paths: [] };
  const paths = words.flatMap((word) => /^(?:--?[a-z][a-z-]*=)?(\/[^\s=]+)$/.exec(word)?.[1] ?? []);
  const pinned = words
    .find((word) => word.startsWith("--fingerprint="))
    ?.slice("--fingerprint=".length)
    .replaceAll(" ", "")
    .toUpperCase();
  const served = findTailscaleRepository(url, repositories)?.repository.keyFingerprint;
  if (pinned !== undefined && served !== undefined && served.toUpperCase() !== pinned) {
    return {
      paths,
      refused: `bootcmd refuses the repository keyring from ${url}: it holds key ${served}, not the pinned ${pinned}`,
    };
  }
  return { paths };
}
