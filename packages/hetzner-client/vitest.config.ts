import { defineConfig } from "vitest/config";
import { testBounds } from "../../tools/vitest-defaults";

export default defineConfig({
  test: {
    ...testBounds,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    typecheck: {
      enabled: true,
      include: ["src/**/*.test-d.ts"],
      tsconfig: "tsconfig.type-tests.json",
    },
  },
});
