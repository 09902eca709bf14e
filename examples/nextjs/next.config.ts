import type { NextConfig } from "next";

const config: NextConfig = {
  // The workspace root holds the lockfile; telling Next saves it guessing (and warning).
  outputFileTracingRoot: new URL("../..", import.meta.url).pathname,
  // PGlite loads its WebAssembly and data files next to its own module, and pg has optional
  // native parts: both stay plain Node.js packages instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
};

export default config;
