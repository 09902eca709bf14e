import { defineConfig } from "vitest/config";
import { testBounds } from "../../tools/vitest-defaults";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    // The process-level tests spawn the bundle; each finishes in about a second, more on a machine
    // busy with the rest of the suite.
    testTimeout: 45_000,
    expect: testBounds.expect,
  },
});
