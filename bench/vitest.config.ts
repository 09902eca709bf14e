import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The quick run spawns the harness: a few seconds of real time.
    testTimeout: 60_000,
  },
});
