import { DEFAULT_REGION } from "./regions.js";

/** Defaults applied when options leave them out. */
export const DEFAULTS = Object.freeze({
  image: "ubuntu-24.04",
  region: DEFAULT_REGION,
  timeouts: Object.freeze({ total: 600_000, serverRunning: 300_000, deviceJoin: 300_000 }),
});
