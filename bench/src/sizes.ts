import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { repositoryRoot } from "./paths.ts";

interface PackageJson {
  name: string;
  private?: boolean;
  files?: string[];
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackageJson(directory: string): PackageJson {
  return JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as PackageJson;
}

/** Gzip (level 9) size of some bytes. */
function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9 }).length;
}

export interface EntrySize {
  name: string;
  /** Minified and gzipped, every dependency left external: the package's own code. */
  externalGzip: number;
  /** Minified and gzipped, every dependency bundled in: what a consumer's bundle grows by. */
  inlinedGzip: number;
}

/** The `import` entry of a package's exports map, resolved to a file. */
function entryFile(directory: string, manifest: PackageJson): string {
  const root = manifest.exports?.["."];
  const target =
    typeof root === "string"
      ? root
      : ((root as Record<string, unknown> | undefined)?.import ??
        (root as Record<string, unknown> | undefined)?.default);
  if (typeof target !== "string") throw new Error(`${manifest.name} has no "." export`);
  const path = join(directory, target);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build the packages first (pnpm build).`);
  }
  return path;
}

async function bundledGzip(entry: string, external: boolean): Promise<number> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node22",
    write: false,
    legalComments: "none",
    logLevel: "silent",
    ...(external ? { packages: "external" as const } : {}),
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced nothing for ${entry}`);
  return gzipSize(output.contents);
}

/** Item 5: every published package's entry (the non-private ones under packages/). */
export async function measurePackageSizes(): Promise<EntrySize[]> {
  const packagesDirectory = join(repositoryRoot, "packages");
  const sizes: EntrySize[] = [];
  for (const name of readdirSync(packagesDirectory).sort()) {
    const directory = join(packagesDirectory, name);
    if (!existsSync(join(directory, "package.json"))) continue;
    const manifest = readPackageJson(directory);
    // Libraries only: a command-line package (a bin, no "." export) is measured as a bundle.
    if (manifest.private || manifest.exports?.["."] === undefined) continue;
    const entry = entryFile(directory, manifest);
    sizes.push({
      name: manifest.name,
      externalGzip: await bundledGzip(entry, true),
      inlinedGzip: await bundledGzip(entry, false),
    });
  }
  return sizes;
}

export interface BundleSize {
  file: string;
  bytes: number;
  /** Minified again by esbuild (it is already bundled) and gzipped. */
  minifiedGzip: number;
}

/**
 * Item 5: the action's committed bundle, file by file (its two entries and the chunk they share),
 * as they are and minified + gzipped.
 */
export async function measureActionBundles(): Promise<BundleSize[]> {
  const dist = join(repositoryRoot, "apps", "gh-runner", "dist");
  if (!existsSync(join(dist, "index.js"))) {
    throw new Error(`${dist} is missing its bundle: build apps/gh-runner first.`);
  }
  const files = readdirSync(dist, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".js"))
    .sort();
  const sizes: BundleSize[] = [];
  for (const file of files) {
    const code = readFileSync(join(dist, file), "utf8");
    const minified = await transform(code, { minify: true, format: "esm", legalComments: "none" });
    sizes.push({
      file: `apps/gh-runner/dist/${file}`,
      bytes: Buffer.byteLength(code),
      minifiedGzip: gzipSize(Buffer.from(minified.code)),
    });
  }
  return sizes;
}

/** Where Node would find `name` from `directory` (pnpm's symlinks resolved). */
function resolvePackageDirectory(directory: string, name: string): string | undefined {
  let current = directory;
  for (;;) {
    const candidate =
      basename(current) === "node_modules"
        ? join(current, name)
        : join(current, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function treeSize(path: string, skipNodeModules: boolean): number {
  const stats = lstatSync(path);
  if (stats.isSymbolicLink()) return 0;
  if (!stats.isDirectory()) return stats.size;
  let total = 0;
  for (const entry of readdirSync(path)) {
    if (skipNodeModules && entry === "node_modules") continue;
    total += treeSize(join(path, entry), skipNodeModules);
  }
  return total;
}

/** Bytes a package occupies once installed from the registry (its published files). */
function installedSize(directory: string, manifest: PackageJson): number {
  const fromRegistry = directory.includes(`${join("node_modules", ".pnpm")}`);
  if (fromRegistry || !manifest.files) return treeSize(directory, true);
  // A workspace package: count what `npm publish` would ship.
  let total = treeSize(join(directory, "package.json"), true);
  for (const file of manifest.files) {
    const path = join(directory, file);
    if (existsSync(path)) total += treeSize(path, true);
  }
  return total;
}

export interface InstallFootprint {
  packages: number;
  bytes: number;
}

/**
 * Item 4: what a workflow that runs the TypeScript source must install first (`npm ci` of the
 * action's runtime dependencies, plus tsx to run TypeScript), measured on the installed tree:
 * every package reachable through dependencies, optional and peer dependencies, counted once.
 */
export function measureInstallFootprint(): InstallFootprint {
  const appDirectory = join(repositoryRoot, "apps", "gh-runner");
  const app = readPackageJson(appDirectory);
  const seen = new Map<string, number>();
  const queue: { from: string; name: string }[] = [
    ...Object.keys(app.dependencies ?? {}).map((name) => ({ from: appDirectory, name })),
    { from: join(repositoryRoot, "bench"), name: "tsx" },
  ];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    const directory = resolvePackageDirectory(next.from, next.name);
    if (!directory || seen.has(directory)) continue;
    const manifest = readPackageJson(directory);
    seen.set(directory, installedSize(directory, manifest));
    for (const dependencies of [
      manifest.dependencies,
      manifest.optionalDependencies,
      manifest.peerDependencies,
    ]) {
      for (const name of Object.keys(dependencies ?? {})) queue.push({ from: directory, name });
    }
  }
  let bytes = 0;
  for (const size of seen.values()) bytes += size;
  return { packages: seen.size, bytes };
}
