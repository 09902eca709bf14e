import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The process-level tests spawn the bundle; each finishes in well under a second.
    testTimeout: 15_000,
  },
});
