export { everythingReachable } from "./everything-reachable.js";
export { hangUntilAborted } from "./hang-until-aborted.js";
export {
  createVirtualClock,
  holdClock,
  type VirtualClock,
  type VirtualClockOptions,
} from "./virtual-clock.js";
