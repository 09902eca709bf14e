import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    {
      // The programs in `src/modules/*.py` and `*.sh`, as text: what tsup's `text` loader builds.
      name: "tailvm-program-text",
      enforce: "pre",
      transform(source, id) {
        if (!/\.(py|sh)$/.test(id)) return undefined;
        return { code: `export default ${JSON.stringify(source)};`, map: null };
      },
    },
  ],
  test: {
    // Some tests start Python (cloud-init's CLI, its YAML loader): a second each when the machine is
    // idle, several when a whole monorepo suite shares two cores with them.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
