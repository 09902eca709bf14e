export type { Clock } from "@tailvm/internal";
export { systemClock } from "@tailvm/internal";
export {
  createVirtualClock,
  type VirtualClock,
  type VirtualClockOptions,
} from "@tailvm/internal/test";
export { createSimulatedCloud, DEFAULT_CREDENTIALS } from "./create-simulated-cloud.js";
export { SimulatedCloudError } from "./errors.js";
export {
  createFaultSchedule,
  type FaultSchedule,
  type FaultScheduleOptions,
  type ScheduledFault,
  type ScheduledFaultKind,
} from "./fault-schedule.js";
export {
  type LabelRequirement,
  LabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
} from "./label-selector.js";
export {
  type ReadUserDataOptions,
  readUserData,
  type TailscaleBootPlan,
  type TailscaleInstall,
} from "./read-user-data.js";
export { createScaledClock, type ScaledClock, type ScaledClockOptions } from "./scaled-clock.js";
export {
  type SimulatedCloudServer,
  type SimulatedCloudServerOptions,
  type SimulatedServerContext,
  startSimulatedCloudServer,
} from "./start-simulated-cloud-server.js";
export type { TailscaleRepository } from "./tailscale-repositories.js";
export type * from "./types.js";
