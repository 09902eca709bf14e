import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES, openTestDatabase } from "../../test/test-databases.ts";
import type { Database } from "../database/open-database.ts";
import { apiTokens } from "../database/schema.ts";
import {
  createApiToken,
  hashToken,
  listApiTokens,
  revokeApiToken,
  verifyApiToken,
} from "./api-tokens.ts";

describe.each(ENGINES)("API tokens on $engine $reason", ({ engine, skip }) => {
  let database: Database;
  beforeAll(async () => {
    if (!skip) database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database?.close();
  });

  it.skipIf(skip)(
    "stores only the hash, verifies the token, and refuses it once revoked",
    async () => {
      const created = await createApiToken(database.db, "ci");
      expect(created.token).toMatch(/^tvm_[a-z0-9]{12}_[\w-]{43}$/);
      const [row] = await database.db.select().from(apiTokens);
      expect(row?.secretHash).toBe(hashToken(created.token));
      expect(JSON.stringify(row)).not.toContain(created.token.slice(17));

      expect(await verifyApiToken(database.db, created.token)).toEqual({
        id: created.id,
        name: "ci",
      });
      // The right id with another secret, a malformed token, and a token nobody created.
      const otherSecret = `${created.token.slice(0, 17)}${"A".repeat(43)}`;
      expect(await verifyApiToken(database.db, otherSecret)).toBeUndefined();
      expect(await verifyApiToken(database.db, `${created.token}x`)).toBeUndefined();
      expect(
        await verifyApiToken(
          database.db,
          (await createApiToken(database.db, "x")).token.replace(/^tvm_.{12}/, "tvm_000000000000"),
        ),
      ).toBeUndefined();

      expect(await revokeApiToken(database.db, created.id)).toBe(true);
      expect(await revokeApiToken(database.db, created.id)).toBe(false);
      expect(await verifyApiToken(database.db, created.token)).toBeUndefined();
      const listed = await listApiTokens(database.db);
      expect(listed.find((token) => token.id === created.id)?.revokedAt).toBeInstanceOf(Date);
    },
  );

  it.skipIf(skip)("refuses a name that is empty or not a plain label", async () => {
    await expect(createApiToken(database.db, " ")).rejects.toThrow(/name must be 1 to 64/);
    await expect(createApiToken(database.db, "a b")).rejects.toThrow(/name must be 1 to 64/);
  });
});
