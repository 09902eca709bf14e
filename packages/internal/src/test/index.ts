export { connectionRefused } from "./connection-refused.js";
export { type Counted, counted, countedFetch } from "./counted.js";
export { everythingReachable } from "./everything-reachable.js";
export { hangUntilAborted } from "./hang-until-aborted.js";
export { type ProgramResult, runProgram } from "./run-program.js";
export type { Unset } from "./unset.js";
export {
  createVirtualClock,
  holdClock,
  type VirtualClock,
  type VirtualClockOptions,
} from "./virtual-clock.js";
