export {
  createVirtualClock,
  holdClock,
  type VirtualClock,
  type VirtualClockOptions,
} from "./virtual-clock.js";
