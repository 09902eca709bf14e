import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // A test app (a database copy, the token script, `next start`) takes a few seconds to start,
    // more on a loaded machine.
    hookTimeout: 90_000,
    testTimeout: 60_000,
  },
});
