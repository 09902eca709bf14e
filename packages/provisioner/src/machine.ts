import type { ServerType } from "@tailvm/hetzner-client";
import type { MachineRequirement, ServerPrice } from "./types.js";

/** A machine requirement with every default applied. */
export interface ResolvedMachine {
  architecture: "x86" | "arm";
  cpu: "shared" | "dedicated";
  minCores: number;
  minMemoryGb: number;
  minDiskGb: number;
  /** Net euro per month, or null for no limit. */
  maxMonthlyPrice: number | null;
}

/** The machine chosen when neither `machine`, `serverType` nor `candidates` is given. */
export const DEFAULT_MACHINE: Readonly<ResolvedMachine> = Object.freeze({
  architecture: "x86",
  cpu: "shared",
  minCores: 2,
  minMemoryGb: 4,
  minDiskGb: 0,
  maxMonthlyPrice: null,
});

export function resolveMachine(machine: MachineRequirement | undefined): ResolvedMachine {
  return {
    architecture: machine?.architecture ?? DEFAULT_MACHINE.architecture,
    cpu: machine?.cpu ?? DEFAULT_MACHINE.cpu,
    minCores: machine?.minCores ?? DEFAULT_MACHINE.minCores,
    minMemoryGb: machine?.minMemoryGb ?? DEFAULT_MACHINE.minMemoryGb,
    minDiskGb: machine?.minDiskGb ?? DEFAULT_MACHINE.minDiskGb,
    maxMonthlyPrice: machine?.maxMonthlyPrice ?? null,
  };
}

/** Whether the type's size and kind meet the requirement (price and stock aside). */
export function meetsRequirement(type: ServerType, machine: ResolvedMachine): boolean {
  return (
    type.architecture === machine.architecture &&
    type.cpu_type === machine.cpu &&
    type.cores >= machine.minCores &&
    type.memory >= machine.minMemoryGb &&
    type.disk >= machine.minDiskGb
  );
}

/** The type's net price in `location`, from the catalog's `prices`, or null when it has none. */
export function priceIn(type: Pick<ServerType, "prices">, location: string): ServerPrice | null {
  const entry = type.prices.find((price) => price.location === location);
  if (!entry) return null;
  const hourly = Number(entry.price_hourly.net);
  const monthly = Number(entry.price_monthly.net);
  if (!Number.isFinite(hourly) || !Number.isFinite(monthly)) return null;
  return { currency: "EUR", vat: "excluded", hourly, monthly };
}

/** "cx23 (2 vCPU, 4 GB, 40 GB, €3.49/month in nbg1)" */
export function describeOffer(type: ServerType, location: string): string {
  const price = priceIn(type, location);
  const cost = price ? `, €${price.monthly.toFixed(2)}/month in ${location}` : "";
  return `${type.name} (${type.cores} vCPU, ${type.memory} GB, ${type.disk} GB${cost})`;
}

/** "shared x86, at least 2 vCPU and 4 GB, at most €10/month" */
export function describeMachine(machine: ResolvedMachine): string {
  const disk = machine.minDiskGb > 0 ? `, ${machine.minDiskGb} GB disk` : "";
  const price =
    machine.maxMonthlyPrice === null ? "" : `, at most €${machine.maxMonthlyPrice}/month net`;
  return `${machine.cpu} ${machine.architecture}, at least ${machine.minCores} vCPU and ${machine.minMemoryGb} GB${disk}${price}`;
}
