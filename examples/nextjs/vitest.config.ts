import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts"],
    // One `next start` serves every test of the file; starting it takes a second or two.
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
});
