export type { Clock, SimulatedClock } from "./clock.js";
export { systemClock } from "./clock.js";
export { createSimulatedCloud, DEFAULT_CREDENTIALS } from "./create-simulated-cloud.js";
export { SimulatedCloudError } from "./errors.js";
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
export { createScaledClock, type ScaledClockOptions } from "./scaled-clock.js";
export {
  type SimulatedCloudServer,
  type SimulatedCloudServerOptions,
  startSimulatedCloudServer,
} from "./start-simulated-cloud-server.js";
export type { TailscaleRepository } from "./tailscale-repositories.js";
export type {
  SimAuthKey,
  SimDevice,
  SimRequestLogEntry,
  SimServer,
  SimulatedApi,
  SimulatedCloud,
  SimulatedCredentials,
  SimulatedFaults,
  SimulatedFaultTarget,
  SimulatedState,
  SimulatorOptions,
  SimulatorTimings,
} from "./types.js";
export { createVirtualClock, type VirtualClockOptions } from "./virtual-clock.js";
