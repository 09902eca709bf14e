import { defineConfig } from "vitest/config";
import { withTypeTests } from "../../tools/vitest-defaults";

export default defineConfig({ test: withTypeTests("tsconfig.json") });
