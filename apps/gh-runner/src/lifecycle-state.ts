/**
 * Where a provisioning run is. It only moves forward: validating, provisioning, rolling back (after
 * a failed phase, the deadline or a signal), reporting (the outcome exists: outputs, state and the
 * callback), done.
 *
 * @example
 * ```ts
 * const vmIsKept = (state: LifecycleState) => state.phase === "reporting" && state.outcome === "provisioned";
 * ```
 */
export type LifecycleState =
  | { phase: "validating" }
  | { phase: "provisioning"; name: string }
  | {
      phase: "rolling-back";
      name: string;
      /** The deadline or signal that stopped the run; undefined when a phase failed by itself. */
      stopReason: string | undefined;
    }
  | {
      phase: "reporting";
      name: string;
      /** Provisioned: the VM is the agent's and is kept. Failed: the rollback has finished. */
      outcome: "provisioned" | "failed";
      stopReason: string | undefined;
    }
  | { phase: "done"; name: string | undefined };

/**
 * What moves a run from one {@link LifecycleState} to the next.
 *
 * @example
 * ```ts
 * const event: LifecycleEvent = { type: "stop", reason: "Received SIGTERM" };
 * ```
 */
export type LifecycleEvent =
  | { type: "validated"; name: string }
  | { type: "stop"; reason: string }
  | { type: "rollback-started" }
  | { type: "outcome"; outcome: "provisioned" | "failed" }
  | { type: "settled" };

/**
 * The state after `event`; an event that does not apply leaves the state as it is (a second stop
 * while rolling back, a stop once the outcome exists: those only bound the wait).
 *
 * @example
 * ```ts
 * nextState({ phase: "provisioning", name: "agent-1" }, { type: "stop", reason: "Received SIGINT" });
 * // { phase: "rolling-back", name: "agent-1", stopReason: "Received SIGINT" }
 * ```
 */
export function nextState(state: LifecycleState, event: LifecycleEvent): LifecycleState {
  if (event.type === "settled") {
    return { phase: "done", name: state.phase === "validating" ? undefined : state.name };
  }
  switch (state.phase) {
    case "validating":
      return event.type === "validated" ? { phase: "provisioning", name: event.name } : state;
    case "provisioning":
      if (event.type === "stop") {
        return { phase: "rolling-back", name: state.name, stopReason: event.reason };
      }
      if (event.type === "rollback-started") {
        return { phase: "rolling-back", name: state.name, stopReason: undefined };
      }
      if (event.type === "outcome") {
        return {
          phase: "reporting",
          name: state.name,
          outcome: event.outcome,
          stopReason: undefined,
        };
      }
      return state;
    case "rolling-back":
      if (event.type === "stop" && state.stopReason === undefined) {
        return { ...state, stopReason: event.reason };
      }
      if (event.type === "outcome") {
        return {
          phase: "reporting",
          name: state.name,
          outcome: event.outcome,
          stopReason: state.stopReason,
        };
      }
      return state;
    default:
      return state;
  }
}
