import { packageConfig } from "../../tools/tsup-package-config";

export default packageConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  dts: { entry: "src/index.ts", resolve: ["@tailvm/internal"] },
});
