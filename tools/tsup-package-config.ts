import { defineConfig, type Options } from "tsup";

/**
 * The build every published tailvm package shares: ESM for Node 22 with `.d.ts`, and the private
 * `@tailvm/internal` primitives inlined, so no published package depends on it at run time or
 * exposes it in its types.
 */
export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    target: "node22",
    dts: { resolve: ["@tailvm/internal"] },
    clean: true,
    sourcemap: true,
    noExternal: ["@tailvm/internal"],
    ...overrides,
  });
}
