import { defineConfig } from "vitest/config";
import { testBounds } from "../../tools/vitest-defaults";

export default defineConfig({
  test: { ...testBounds },
});
