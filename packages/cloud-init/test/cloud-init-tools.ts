import { readFileSync } from "node:fs";
import { findExecutable } from "@tailvm/internal";

/** The real `cloud-init` CLI, if installed. */
export const CLOUD_INIT = findExecutable("cloud-init");

/** The Python that runs cloud-init (from its `#!` line), so PyYAML is the very one cloud-init uses. */
export const CLOUD_INIT_PYTHON = (() => {
  if (CLOUD_INIT === undefined) return undefined;
  const shebang = /^#!\s*(\S+)/.exec(readFileSync(CLOUD_INIT, "utf8").split("\n", 1)[0] ?? "");
  return shebang?.[1];
})();

/** The schema JSON Debian's cloud-init package installs. */
export const DEBIAN_SCHEMA_PATH =
  "/usr/lib/python3/dist-packages/cloudinit/config/schemas/schema-cloud-config-v1.json";

/** In CI, a missing oracle is a failure, not a skip. */
export const IN_CI = Boolean(process.env.CI);
