import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // expect.poll waits for real I/O (a loopback request arriving) or for microtasks to settle; on
    // a machine busy with the rest of the suite that can take longer than the 1 s default.
    expect: { poll: { timeout: 15_000 } },
    typecheck: {
      enabled: true,
      include: ["src/**/*.test-d.ts"],
      tsconfig: "tsconfig.type-tests.json",
    },
  },
});
