import type { MachineRequirement } from "@tailvm/provisioner";
import type { SettingName } from "./settings.js";

const TOKEN = /^(\d+(?:\.\d+)?)(cpu|gb|disk)$/;

/**
 * The `machine` setting (`x86,2cpu,4gb` or `arm,4cpu,8gb,80disk,dedicated,max=20`) as a machine
 * requirement; undefined after reporting every word it does not understand.
 *
 * @example
 * ```ts
 * parseMachine("arm,4cpu,8gb,max=20", problem);
 * // { architecture: "arm", minCores: 4, minMemoryGb: 8, maxMonthlyPrice: 20 }
 * ```
 */
export function parseMachine(
  text: string,
  problem: (input: SettingName, message: string) => void,
): MachineRequirement | undefined {
  const machine: MachineRequirement = {};
  let ok = true;
  for (const word of text
    .toLowerCase()
    .split(/[,\s]+/)
    .filter(Boolean)) {
    const sized = TOKEN.exec(word);
    const price = /^max=(\d+(?:\.\d+)?)$/.exec(word);
    if (word === "x86" || word === "arm") machine.architecture = word;
    else if (word === "shared" || word === "dedicated") machine.cpu = word;
    else if (price) machine.maxMonthlyPrice = Number(price[1]);
    else if (sized?.[2] === "cpu") machine.minCores = Number(sized[1]);
    else if (sized?.[2] === "gb") machine.minMemoryGb = Number(sized[1]);
    else if (sized?.[2] === "disk") machine.minDiskGb = Number(sized[1]);
    else {
      ok = false;
      problem(
        "machine",
        `${JSON.stringify(word)} is not understood: use x86 or arm, shared or dedicated, <n>cpu, <n>gb (memory), <n>disk (GB) and max=<euro per month, net>, e.g. arm,4cpu,8gb,max=20.`,
      );
    }
  }
  return ok ? machine : undefined;
}
