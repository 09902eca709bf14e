// `node src/chaos-main.ts`: runs only the chaos scenario (virtual time, so its figures do not depend
// on the machine) and writes it into the `chaos` section of bench/results.json.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureChaosScenario } from "./chaos.ts";
import { benchDirectory } from "./paths.ts";
import { formatTextTable } from "./table.ts";

const path = join(benchDirectory, "results.json");
const chaos = await measureChaosScenario({ quick: process.argv.includes("--quick") });
const report = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
writeFileSync(path, `${JSON.stringify({ ...report, chaos }, null, 2)}\n`);
process.stdout.write(`${formatTextTable(chaos.rows)}\n`);
if (chaos.samples.faulty.leaked > 0) process.exitCode = 1;
