// Prints a results.json written by `pnpm bench` as the Markdown table README.md shows:
//   node src/render-results.ts [path/to/results.json]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { benchDirectory } from "./paths.ts";
import { formatMarkdownTable, type ResultRow } from "./table.ts";

const path = process.argv[2] ?? join(benchDirectory, "results.json");
const report = JSON.parse(readFileSync(path, "utf8")) as {
  date: string;
  machine: string;
  settings: {
    quick: boolean;
    runs: number;
    timeScale: number;
    fleetTimeScale: number;
    startupRuns: number;
  };
  rows: ResultRow[];
  chaos?: { rows: ResultRow[] };
};
const { settings } = report;
process.stdout.write(
  `Measured ${report.date.slice(0, 10)} on ${report.machine}: medians of ${settings.runs} runs, cloud time replayed ${settings.timeScale}x faster (the fleet ${settings.fleetTimeScale}x).${settings.quick ? " QUICK RUN: the numbers mean nothing." : ""}\n\n${formatMarkdownTable(report.rows)}\n`,
);
if (report.chaos) {
  process.stdout.write(
    `\nUnder faults (in process, virtual time):\n\n${formatMarkdownTable(report.chaos.rows)}\n`,
  );
}
