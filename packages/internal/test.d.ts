// Lets tools that resolve type declarations without reading `exports` (the `.d.ts` bundler of the
// published packages) find the test entry.
export * from "./dist/test.js";
