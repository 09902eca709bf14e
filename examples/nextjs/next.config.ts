import type { NextConfig } from "next";

const config: NextConfig = {
  // The workspace root holds the lockfile; telling Next saves it guessing (and warning).
  outputFileTracingRoot: new URL("../..", import.meta.url).pathname,
};

export default config;
