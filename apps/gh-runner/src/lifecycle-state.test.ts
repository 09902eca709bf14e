import { describe, expect, it } from "vitest";
import { type LifecycleState, nextState } from "./lifecycle-state.js";

const provisioning: LifecycleState = { phase: "provisioning", name: "agent-1" };

describe("nextState", () => {
  it("moves forward through rolling back after a stop, and keeps the first reason", () => {
    const stopped = nextState(provisioning, { type: "stop", reason: "Received SIGINT" });
    expect(stopped).toEqual({
      phase: "rolling-back",
      name: "agent-1",
      stopReason: "Received SIGINT",
    });
    expect(nextState(stopped, { type: "stop", reason: "Received SIGTERM" })).toBe(stopped);
    expect(nextState(stopped, { type: "outcome", outcome: "failed" })).toEqual({
      phase: "reporting",
      name: "agent-1",
      outcome: "failed",
      stopReason: "Received SIGINT",
    });
  });

  it("takes a stop during a rollback a failed phase started as its reason", () => {
    const failing = nextState(provisioning, { type: "rollback-started" });
    expect(failing).toEqual({ phase: "rolling-back", name: "agent-1", stopReason: undefined });
    expect(nextState(failing, { type: "stop", reason: "deadline" })).toMatchObject({
      stopReason: "deadline",
    });
  });

  it("never rolls back once the outcome exists: a stop only bounds the callback", () => {
    const reporting = nextState(provisioning, { type: "outcome", outcome: "provisioned" });
    expect(reporting).toMatchObject({ phase: "reporting", outcome: "provisioned" });
    expect(nextState(reporting, { type: "stop", reason: "Received SIGTERM" })).toBe(reporting);
    expect(nextState(reporting, { type: "rollback-started" })).toBe(reporting);
    expect(nextState(reporting, { type: "settled" })).toEqual({ phase: "done", name: "agent-1" });
  });

  it("starts provisioning only once validated", () => {
    expect(nextState({ phase: "validating" }, { type: "stop", reason: "x" })).toEqual({
      phase: "validating",
    });
    expect(nextState({ phase: "validating" }, { type: "validated", name: "agent-2" })).toEqual({
      phase: "provisioning",
      name: "agent-2",
    });
  });
});
