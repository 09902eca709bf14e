import { defineConfig } from "vitest/config";
import { withTypeTests } from "../../tools/vitest-defaults";

export default defineConfig({
  test: {
    ...withTypeTests("tsconfig.json"),
    globalSetup: ["./test/support/global-secret-check.ts"],
    // Every provision against the simulator is checked for ports open to the internet.
    setupFiles: ["./test/support/public-exposure-check.ts"],
  },
});
