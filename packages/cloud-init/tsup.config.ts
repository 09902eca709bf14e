import { packageConfig } from "../../tools/tsup-package-config";

// The programs in `src/modules/*.py` and `*.sh` are inlined as strings (see src/programs.d.ts).
export default packageConfig({ loader: { ".py": "text", ".sh": "text" } });
