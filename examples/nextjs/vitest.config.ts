import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // A test app (a database copy, the token script, `next start`) takes a few seconds to start,
    // and some tests start two; on a 2-core machine busy with the rest of the suite (the boot
    // tier's VMs, other packages' tests) each start can take tens of seconds. These are safety
    // bounds, not speed targets.
    hookTimeout: 150_000,
    testTimeout: 150_000,
  },
});
