import { describe, expect, it } from "vitest";
import { ENGINES, useTestDatabase } from "../../test/test-databases.ts";
import { apiTokens } from "../database/schema.ts";
import {
  createApiToken,
  hashToken,
  listApiTokens,
  revokeApiToken,
  verifyApiToken,
} from "./api-tokens.ts";

describe.each(ENGINES)("API tokens on $engine $reason", ({ engine, skip }) => {
  const database = useTestDatabase(engine, { skip });

  it.skipIf(skip)(
    "stores only the hash, verifies the token, and refuses it once revoked",
    async () => {
      const { db } = database();
      const created = await createApiToken(db, "ci");
      expect(created.token).toMatch(/^tvm_[a-z0-9]{12}_[\w-]{43}$/);
      const [row] = await db.select().from(apiTokens);
      expect(row?.secretHash).toBe(hashToken(created.token));
      expect(JSON.stringify(row)).not.toContain(created.token.slice(17));

      expect(await verifyApiToken(db, created.token)).toEqual({
        id: created.id,
        name: "ci",
      });
      // The right id with another secret, a malformed token, and a token nobody created.
      const otherSecret = `${created.token.slice(0, 17)}${"A".repeat(43)}`;
      expect(await verifyApiToken(db, otherSecret)).toBeUndefined();
      expect(await verifyApiToken(db, `${created.token}x`)).toBeUndefined();
      expect(
        await verifyApiToken(
          db,
          (await createApiToken(db, "x")).token.replace(/^tvm_.{12}/, "tvm_000000000000"),
        ),
      ).toBeUndefined();

      expect(await revokeApiToken(db, created.id)).toBe(true);
      expect(await revokeApiToken(db, created.id)).toBe(false);
      expect(await verifyApiToken(db, created.token)).toBeUndefined();
      const listed = await listApiTokens(db);
      expect(listed.find((token) => token.id === created.id)?.revokedAt).toBeInstanceOf(Date);
    },
  );

  it.skipIf(skip)("refuses a name that is empty or not a plain label", async () => {
    const { db } = database();
    await expect(createApiToken(db, " ")).rejects.toThrow(/name must be 1 to 64/);
    await expect(createApiToken(db, "a b")).rejects.toThrow(/name must be 1 to 64/);
  });
});
