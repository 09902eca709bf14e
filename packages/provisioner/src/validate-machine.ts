import { describe, isPlainObject } from "./option-values.js";

const MACHINE_KEYS = [
  "architecture",
  "cpu",
  "minCores",
  "minMemoryGb",
  "minDiskGb",
  "maxMonthlyPrice",
];

/** Adds a problem for each bad field of `options.machine`, and for `machine` beside `serverType` / `candidates`. */
export function machineProblems(
  options: Record<string, unknown>,
  problem: (field: string, message: string) => void,
): void {
  const machine = options.machine;
  if (machine === undefined) return;
  if (options.serverType !== undefined || options.candidates !== undefined) {
    problem(
      "machine",
      "chooses the server type from the catalog: give either machine, or serverType / candidates",
    );
  }
  if (!isPlainObject(machine)) {
    problem(
      "machine",
      `must be { architecture?, cpu?, minCores?, minMemoryGb?, minDiskGb?, maxMonthlyPrice? }; got ${describe(machine)}`,
    );
    return;
  }
  for (const key of Object.keys(machine)) {
    if (!MACHINE_KEYS.includes(key)) {
      problem(`machine.${key}`, `is not an option; the options are ${MACHINE_KEYS.join(", ")}`);
    }
  }
  const { architecture, cpu } = machine;
  if (architecture !== undefined && architecture !== "x86" && architecture !== "arm") {
    problem("machine.architecture", `must be "x86" or "arm"; got ${describe(architecture)}`);
  }
  if (cpu !== undefined && cpu !== "shared" && cpu !== "dedicated") {
    problem("machine.cpu", `must be "shared" or "dedicated"; got ${describe(cpu)}`);
  }
  for (const key of ["minCores", "minMemoryGb", "minDiskGb", "maxMonthlyPrice"] as const) {
    const value = machine[key];
    if (value === undefined) continue;
    const whole = key === "minCores";
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      value < 0 ||
      (whole && !Number.isInteger(value))
    ) {
      problem(
        `machine.${key}`,
        `must be a ${whole ? "whole number" : "number"} of at least 0${key === "maxMonthlyPrice" ? " (euro per month, net)" : ""}; got ${describe(value)}`,
      );
    }
  }
}
