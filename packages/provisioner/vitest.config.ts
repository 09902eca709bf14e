import { defineConfig } from "vitest/config";
import { testBounds } from "../../tools/vitest-defaults";

export default defineConfig({
  test: {
    ...testBounds,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["./test/support/global-secret-check.ts"],
    // Every provision against the simulator is checked for ports open to the internet.
    setupFiles: ["./test/support/public-exposure-check.ts"],
    typecheck: {
      enabled: true,
      include: ["src/**/*.test-d.ts"],
      tsconfig: "tsconfig.json",
    },
  },
});
