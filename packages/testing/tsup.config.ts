import { packageConfig } from "../../tools/tsup-package-config";

// The declaration bundler does not read `exports`: point it at the test entry's declarations so
// that they are inlined like the rest of @tailvm/internal.
const dts = {
  resolve: ["@tailvm/internal"],
  compilerOptions: { paths: { "@tailvm/internal/test": ["../internal/dist/test.d.ts"] } },
};

// Two builds, so that each entry's `.d.ts` is self-contained; `msw` is only ever imported by the
// `./msw` entry, so the main entry works without it. They run side by side, so neither cleans
// `dist` (the build script does, first).
export default [
  packageConfig({
    entry: ["src/index.ts", "src/bin.ts"],
    dts: { ...dts, entry: "src/index.ts" },
    clean: false,
  }),
  packageConfig({ entry: ["src/msw.ts"], dts: { ...dts, entry: "src/msw.ts" }, clean: false }),
];
