import { createHash } from "node:crypto";

const KEY_TYPES = new Set([
  "ssh-rsa",
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

/** An OpenSSH public key line, checked and fingerprinted. */
export interface SshPublicKey {
  type: string;
  /** MD5 of the key blob as colon-separated hex, as Hetzner (and `ssh-keygen -E md5`) shows it. */
  fingerprint: string;
}

/**
 * Reads `type base64 [comment]`: the blob must decode and name the same key type. Returns why not
 * when it is not a public key.
 *
 * @example
 * ```ts
 * const key = parseSshPublicKey("ssh-ed25519 AAAAC3Nza... me@example");
 * if (typeof key !== "string") key.fingerprint; // "b7:2f:..."
 * ```
 */
export function parseSshPublicKey(line: string): SshPublicKey | string {
  const [type = "", data = ""] = line.trim().split(/\s+/);
  if (!KEY_TYPES.has(type)) {
    return `must be an OpenSSH public key of type ${[...KEY_TYPES].join(", ")}`;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return "is not a valid public key (bad base64)";
  const blob = Buffer.from(data, "base64");
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (length < 1 || blob.length < 4 + length + 4) {
    return "is not a valid public key (truncated key data)";
  }
  if (blob.subarray(4, 4 + length).toString("latin1") !== type) {
    return `is not a valid public key (the key data is not of type ${type})`;
  }
  const digest = createHash("md5").update(blob).digest("hex");
  return { type, fingerprint: (digest.match(/../g) ?? []).join(":") };
}
