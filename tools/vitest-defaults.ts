// The bounds every package's tests share. They are safety nets for a machine busy with the rest of
// the suite (turbo runs every package's tests at once on two cores), never speed targets: speed is
// measured in bench/. A package with slower tests (child processes, real cloud-init, QEMU) sets
// larger bounds of its own.
export const testBounds = {
  // A test that only computes can still wait seconds for a worker or a lazily loaded module.
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // expect.poll waits on real I/O (a loopback request arriving) or on microtasks settling.
  expect: { poll: { timeout: 15_000 } },
} as const;

/** The tests of a package with type tests (`.test-d.ts` files in `src`), checked with `tsconfig`. */
export function withTypeTests(tsconfig: string) {
  return {
    ...testBounds,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig },
  };
}
