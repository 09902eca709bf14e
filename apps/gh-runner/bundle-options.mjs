// The esbuild options of every tailvm bundle (the action's dist/ and the tailvm CLI's): ESM for
// Node 22, deterministic, with a shebang; what several entries share goes into a chunk when asked.

// @actions/core imports @actions/http-client (and with it undici, ~550 kB) only for getIDToken, and
// @actions/exec only for `platform`; neither is used here. Declaring both side-effect free lets
// esbuild drop them, which keeps the bundle small and its start-up fast.
const unusedActionsModules = {
  name: "unused-actions-modules",
  setup(build) {
    build.onResolve({ filter: /^@actions\/(?:http-client|exec)(?:\/|$)/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * esbuild options for a bundle of `entryPoints` into `outdir`, headed by `banner` (one comment
 * line). `splitting` puts what several entries (or dynamic imports) load into chunks of their own.
 */
export function bundleOptions({ absWorkingDir, entryPoints, outdir, banner, splitting = false }) {
  return {
    absWorkingDir,
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    splitting,
    chunkNames: "chunks/[name]-[hash]",
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    sourcemap: false,
    charset: "utf8",
    banner: {
      js: [
        "#!/usr/bin/env node",
        banner,
        'import { createRequire as __tailvmCreateRequire } from "node:module";',
        "const require = __tailvmCreateRequire(import.meta.url);",
      ].join("\n"),
    },
    logLevel: "warning",
    plugins: [unusedActionsModules],
  };
}
