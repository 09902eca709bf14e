import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    // The process-level tests spawn the bundle; each finishes in about a second, more on a machine
    // busy with the rest of the suite.
    testTimeout: 45_000,
    // expect.poll waits for real I/O (a loopback request arriving) or for microtasks to settle; on
    // a machine busy with the rest of the suite that can take longer than the 1 s default.
    expect: { poll: { timeout: 15_000 } },
  },
});
