import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Some tests start Python (cloud-init's CLI, its YAML loader): a second each when the machine is
    // idle, several when a whole monorepo suite shares two cores with them.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
