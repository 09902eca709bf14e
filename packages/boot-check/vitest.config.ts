import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The boot tier (test/boot-tier.test.ts) boots real VMs: each boot is bounded by the boot
    // checker's own timeout; these only stop a hung test.
    testTimeout: 35 * 60_000,
    hookTimeout: 40 * 60_000,
  },
});
