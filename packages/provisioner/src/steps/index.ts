import type { Phase } from "../types.js";
import { authKeyStep } from "./auth-key.js";
import { cloudInitStep } from "./cloud-init.js";
import { createServerStep } from "./create-server.js";
import { deviceJoinStep } from "./device-join.js";
import { firewallStep } from "./firewall.js";
import { placementStep } from "./placement.js";
import { revokeKeyStep } from "./revoke-key.js";
import { serverRunningStep } from "./server-running.js";
import { staleDevicesStep } from "./stale-devices.js";
import type { AnyStep } from "./step.js";

/** The steps of a run after validation, in order: what the executor runs and `plan()` shows. */
export const RUN_STEPS: readonly AnyStep[] = [
  placementStep,
  firewallStep,
  authKeyStep,
  staleDevicesStep,
  cloudInitStep,
  createServerStep,
  serverRunningStep,
  deviceJoinStep,
  revokeKeyStep,
];

/** Every phase a successful run that creates its server goes through, validation first. */
export const RUN_PHASES: readonly Phase[] = ["validate", ...RUN_STEPS.map((step) => step.phase)];
