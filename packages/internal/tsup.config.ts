import { defineConfig, type Options } from "tsup";

// Two builds, so that each entry's `.d.ts` is self-contained (no shared chunk): the published
// packages' declaration bundler follows one file per entry.
const common: Options = { format: ["esm"], target: "node22", dts: true, sourcemap: true };

export default defineConfig([
  { ...common, entry: { index: "src/index.ts" } },
  { ...common, entry: { test: "src/test/index.ts" } },
]);
