import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { AppDatabase } from "../database/open-database.ts";
import { type ApiToken, apiTokens } from "../database/schema.ts";

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN_PATTERN = /^tvm_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * SHA-256 of the whole token. A fast hash is enough here because the token is 256 random bits,
 * not a password a person chose: no dictionary helps, and trying 2^256 values is out of reach
 * however fast each try is. Slow hashes (bcrypt, scrypt, argon2) exist to protect low-entropy
 * secrets, and would cost every API request tens of milliseconds for nothing.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Creates an API token named `name` and returns its value, which exists only in this return
 * value: the database keeps its id and hash. Show it once and never log it.
 *
 * @example
 * ```ts
 * const { id, token } = await createApiToken(db, "ci");
 * // token: "tvm_<12 characters>_<43 characters>"
 * ```
 */
export async function createApiToken(
  db: AppDatabase,
  name: string,
): Promise<{ id: string; name: string; token: string }> {
  const trimmed = name.trim();
  if (!/^[\w.@-]{1,64}$/.test(trimmed)) {
    throw new Error(
      "name must be 1 to 64 letters, digits, '_', '-', '.' or '@' (who or what uses the token).",
    );
  }
  const id = Array.from({ length: 12 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join("");
  const token = `tvm_${id}_${randomBytes(32).toString("base64url")}`;
  await db.insert(apiTokens).values({ id, name: trimmed, secretHash: hashToken(token) });
  return { id, name: trimmed, token };
}

/** The tokens, newest first, without their hashes. */
export async function listApiTokens(
  db: AppDatabase,
): Promise<Pick<ApiToken, "id" | "name" | "createdAt" | "revokedAt">[]> {
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens);
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Revokes the token with `id`; resolves false when there is no such live token. */
export async function revokeApiToken(db: AppDatabase, id: string): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/**
 * The live token `presented` is, or undefined. The row is found by the token's public id, and the
 * hashes are compared with `timingSafeEqual`, so neither the lookup nor the comparison tells an
 * attacker how much of a guess was right.
 */
export async function verifyApiToken(
  db: AppDatabase,
  presented: string,
): Promise<Pick<ApiToken, "id" | "name"> | undefined> {
  const match = TOKEN_PATTERN.exec(presented);
  if (!match?.[1]) return undefined;
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, secretHash: apiTokens.secretHash })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, match[1]), isNull(apiTokens.revokedAt)));
  if (!row) return undefined;
  const expected = Buffer.from(row.secretHash, "hex");
  const actual = Buffer.from(hashToken(presented), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  return { id: row.id, name: row.name };
}
