import { defineConfig, type Options } from "tsup";

// One build per entry, so that each entry's `.d.ts` is self-contained (no shared chunk): the
// published packages' declaration bundler follows one file per entry. Only the contracts import
// vitest, and only tests import them: it stays outside the bundle, and out of the test entry,
// which the simulator inlines.
const common: Options = { format: ["esm"], target: "node22", dts: true, sourcemap: true };

export default defineConfig([
  { ...common, entry: { index: "src/index.ts" } },
  { ...common, entry: { test: "src/test/index.ts" } },
  { ...common, entry: { contracts: "src/test/contracts.ts" }, external: ["vitest"] },
]);
