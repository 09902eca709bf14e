// The programs cloud-config installs on the machine are kept as the files they are (`*.py`, `*.sh`)
// and bundled as text: tsup's `text` loader for the build, a transform in vitest.config.ts for tests.

declare module "*.py" {
  const source: string;
  export default source;
}

declare module "*.sh" {
  const source: string;
  export default source;
}
