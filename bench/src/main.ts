// `pnpm bench`: measures tailvm against the usual provisioning script on the loopback simulated
// cloud, prints one table and writes bench/results.json. `--quick` (or BENCH_QUICK=1) runs one
// short iteration of everything, to prove the harness works; its numbers mean nothing.
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, release, totalmem, type } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureChaosScenario } from "./chaos.ts";
import { measureFleet } from "./fleet.ts";
import { measureOrchestration } from "./orchestration.ts";
import { benchDirectory } from "./paths.ts";
import { criticalPathMs, LATENCY_MODELS, LATENCY_MS, TYPICAL_MODEL } from "./scenario.ts";
import { measureActionBundles, measureInstallFootprint, measurePackageSizes } from "./sizes.ts";
import { timeToFirstRequest } from "./startup.ts";
import { median, quantile } from "./statistics.ts";
import { bytes, formatTextTable, type ResultRow, seconds } from "./table.ts";

const { values: flags } = parseArgs({
  // `pnpm bench -- --quick` passes the "--" along.
  args: process.argv.slice(2).filter((argument) => argument !== "--"),
  options: {
    quick: { type: "boolean", default: process.env.BENCH_QUICK === "1" },
    runs: { type: "string" },
    scale: { type: "string" },
    fleet: { type: "string" },
    "fleet-scale": { type: "string" },
    out: { type: "string" },
  },
});

function positiveInteger(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`--${name} must be a whole number of at least 1 (got ${value})`);
  }
  return number;
}

const quick = flags.quick === true;
const settings = {
  quick,
  runs: positiveInteger(flags.runs, quick ? 1 : 10, "runs"),
  warmUp: !quick,
  // Real time is scaled by this much: a 40 s boot takes 40 s / timeScale. Lower is more faithful
  // (local processing is multiplied by it too) and slower.
  timeScale: positiveInteger(flags.scale, quick ? 100 : 10, "scale"),
  fleetSize: positiveInteger(flags.fleet, quick ? 5 : 50, "fleet"),
  // The fleet's thousand-odd loopback requests cost real CPU time, which the scale multiplies
  // into cloud time: a slower replay keeps that from dominating its wall time.
  fleetTimeScale: positiveInteger(flags["fleet-scale"], quick ? 100 : 5, "fleet-scale"),
  startupRuns: quick ? 1 : 7,
};
const outputPath = flags.out ?? join(benchDirectory, "results.json");
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

const orchestration: Record<string, Awaited<ReturnType<typeof measureOrchestration>>> = {};
for (const model of LATENCY_MODELS) {
  progress(
    `orchestration (${model.id}: ${model.description}): ${settings.runs} run(s) each of tailvm and the old way at ${settings.timeScale}x`,
  );
  orchestration[model.id] = await measureOrchestration({ ...settings, model });
}
progress(
  `fleet: ${settings.fleetSize} concurrent provisionVM() calls at ${settings.fleetTimeScale}x`,
);
const fleet = await measureFleet({
  size: settings.fleetSize,
  timeScale: settings.fleetTimeScale,
});
progress("chaos: concurrent provisions under seeded random faults (virtual time)");
const chaos = await measureChaosScenario({ quick });
progress(`start-up: ${settings.startupRuns} run(s) each of the bundle and tsx`);
const startup = { bundle: [] as number[], tsx: [] as number[] };
for (let index = 0; index < settings.startupRuns; index += 1) {
  startup.bundle.push(await timeToFirstRequest("bundle"));
  startup.tsx.push(await timeToFirstRequest("tsx"));
}
progress("sizes");
const packageSizes = await measurePackageSizes();
const actionBundles = await measureActionBundles();
const footprint = measureInstallFootprint();

type Runs = (typeof orchestration)[string]["tailvm"];
const cloudTimes = (runs: Runs) => runs.map((run) => run.cloudMs);
const perProvision = (runs: Runs, api: "hetzner" | "tailscale") =>
  median(runs.map((run) => run[api]));
const typicalRuns = orchestration[TYPICAL_MODEL.id] ?? { tailvm: [], baseline: [] };
const typicalPathMs = criticalPathMs(TYPICAL_MODEL);
const tailvmMs = median(cloudTimes(typicalRuns.tailvm));
const tailvmHetzner = perProvision(typicalRuns.tailvm, "hetzner");
const baselineHetzner = perProvision(typicalRuns.baseline, "hetzner");
const bundleStart = median(startup.bundle);
const tsxStart = median(startup.tsx);
const bundleBytes = actionBundles.reduce((total, bundle) => total + bundle.bytes, 0);
const HETZNER_BUDGET = 3600;

/** Which part of the action's bundle a dist file is: an entry, or the chunk both entries load. */
function actionFileRole(file: string): "main" | "post" | "chunk" {
  if (file.endsWith("/index.js")) return "main";
  return file.endsWith("/post.js") ? "post" : "chunk";
}

/** A dist file as the README names it: the chunk by its role, since its name is its content's hash. */
function actionFileLabel(file: string): string {
  return actionFileRole(file) === "chunk"
    ? "apps/gh-runner/dist/chunks/ (the chunk both entries load)"
    : file;
}

function modelRows(model: (typeof LATENCY_MODELS)[number]): ResultRow[] {
  const runs = orchestration[model.id] ?? { tailvm: [], baseline: [] };
  const pathMs = criticalPathMs(model);
  const past = (samples: Runs) => cloudTimes(samples).map((ms) => ms - pathMs);
  const tailvmPast = past(runs.tailvm);
  const baselinePast = past(runs.baseline);
  const label = `${model.id} (${model.description}; critical path ${seconds(pathMs)})`;
  const requests = (api: "hetzner" | "tailscale") => ({
    tailvm: perProvision(runs.tailvm, api),
    baseline: perProvision(runs.baseline, api),
  });
  const hetzner = requests("hetzner");
  const tailscale = requests("tailscale");
  return [
    {
      id: `orchestration-overhead-${model.id}`,
      item: 1,
      measurement: `${label}: time past the critical path, median / p90 of ${settings.runs}`,
      tailvm: `${seconds(median(tailvmPast))} / ${seconds(quantile(tailvmPast, 0.9))}`,
      baseline: `${seconds(median(baselinePast))} / ${seconds(quantile(baselinePast, 0.9))}`,
      values: {
        tailvmMedianMs: median(tailvmPast),
        tailvmP90Ms: quantile(tailvmPast, 0.9),
        baselineMedianMs: median(baselinePast),
        baselineP90Ms: quantile(baselinePast, 0.9),
        criticalPathMs: pathMs,
      },
    },
    {
      id: `requests-${model.id}`,
      item: 2,
      measurement: `${model.id}: Hetzner / Tailscale requests per provision (incl. OAuth token), median`,
      tailvm: `${hetzner.tailvm} / ${tailscale.tailvm}`,
      baseline: `${hetzner.baseline} / ${tailscale.baseline}`,
      values: {
        tailvmHetzner: hetzner.tailvm,
        tailvmTailscale: tailscale.tailvm,
        baselineHetzner: hetzner.baseline,
        baselineTailscale: tailscale.baseline,
      },
    },
  ];
}

const rows: ResultRow[] = [
  ...LATENCY_MODELS.flatMap(modelRows),
  {
    id: "provisions-per-hour",
    item: 2,
    measurement: `${TYPICAL_MODEL.id}: provisions per hour within Hetzner's ${HETZNER_BUDGET}-request budget`,
    tailvm: String(Math.floor(HETZNER_BUDGET / tailvmHetzner)),
    baseline: String(Math.floor(HETZNER_BUDGET / baselineHetzner)),
    values: {
      tailvm: Math.floor(HETZNER_BUDGET / tailvmHetzner),
      baseline: Math.floor(HETZNER_BUDGET / baselineHetzner),
    },
  },
  {
    id: "fleet-tokens",
    item: 3,
    measurement: `fleet of ${fleet.size} concurrent provisions: OAuth token requests`,
    tailvm: String(fleet.tokens),
    baseline: `${fleet.size} (one per script)`,
    values: { tailvm: fleet.tokens, baseline: fleet.size },
  },
  {
    id: "fleet-429",
    item: 3,
    measurement: `fleet of ${fleet.size}: 429 answers seen (retries: ${fleet.retries})`,
    tailvm: String(fleet.rateLimited),
    baseline: "",
    values: { tailvm: fleet.rateLimited, retries: fleet.retries },
  },
  {
    id: "fleet-requests",
    item: 3,
    measurement: `fleet of ${fleet.size}: Hetzner / Tailscale requests in all`,
    tailvm: `${fleet.hetzner} / ${fleet.tailscale} (${((fleet.hetzner / HETZNER_BUDGET) * 100).toFixed(0)}% of the hour's budget)`,
    baseline: "",
    values: { hetzner: fleet.hetzner, tailscale: fleet.tailscale },
  },
  {
    id: "fleet-wall-time",
    item: 3,
    measurement: `fleet of ${fleet.size}: wall time / one provision (${fleet.succeeded} of ${fleet.size} up, at ${settings.fleetTimeScale}x)`,
    tailvm: `${(fleet.cloudMs / tailvmMs).toFixed(2)} (${seconds(fleet.cloudMs)})`,
    baseline: "",
    values: {
      ratio: fleet.cloudMs / tailvmMs,
      fleetMs: fleet.cloudMs,
      singleMs: tailvmMs,
      succeeded: fleet.succeeded,
      failed: fleet.failed,
      hetznerRequests: fleet.hetzner,
      tailscaleRequests: fleet.tailscale,
    },
  },
  {
    id: "startup",
    item: 4,
    measurement: `gh-runner start to first API request, median of ${settings.startupRuns} (bundle vs tsx source)`,
    tailvm: `${Math.round(bundleStart)} ms`,
    baseline: `${Math.round(tsxStart)} ms (${(tsxStart / bundleStart).toFixed(1)}x)`,
    values: { bundleMs: bundleStart, tsxMs: tsxStart, ratio: tsxStart / bundleStart },
  },
  {
    id: "install-size",
    item: 4,
    measurement: "installed before the step runs (bundle vs npm ci of deps + tsx)",
    tailvm: `${bytes(bundleBytes)} (dist/: two entries and their shared chunk)`,
    baseline: `${bytes(footprint.bytes)} (${footprint.packages} packages)`,
    values: { bundleBytes, npmCiBytes: footprint.bytes, npmCiPackages: footprint.packages },
  },
  ...packageSizes.map(
    (size): ResultRow => ({
      id: `size-${size.name.replace("@tailvm/", "")}`,
      item: 5,
      measurement: `${size.name} entry, min+gz: deps external / inlined`,
      tailvm: `${bytes(size.externalGzip)} / ${bytes(size.inlinedGzip)}`,
      baseline: "",
      values: { externalGzip: size.externalGzip, inlinedGzip: size.inlinedGzip },
    }),
  ),
  ...actionBundles.map(
    (bundle): ResultRow => ({
      id: `size-action-${actionFileRole(bundle.file)}`,
      item: 5,
      measurement: `${actionFileLabel(bundle.file)}, min+gz`,
      tailvm: bytes(bundle.minifiedGzip),
      baseline: "",
      values: { bytes: bundle.bytes, minifiedGzip: bundle.minifiedGzip },
    }),
  ),
];

const firstCpu = cpus()[0];
const machine = `${firstCpu?.model.trim() ?? "unknown CPU"}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${type()} ${release()}, Node ${process.version}`;
const report = {
  date: new Date().toISOString(),
  machine,
  settings: {
    ...settings,
    criticalPathMs: typicalPathMs,
    latencyModels: LATENCY_MODELS,
    latencyMs: LATENCY_MS,
  },
  rows,
  samples: { orchestration, fleet, startup },
  chaos,
};
writeFileSync(outputPath, `${JSON.stringify(report, null, 2)}\n`);

process.stdout.write(
  `tailvm benchmarks${quick ? " (quick: one short iteration, numbers not meaningful)" : ""}, ${report.date.slice(0, 10)}\n${machine}\n\n`,
);
process.stdout.write(`${formatTextTable([...rows, ...chaos.rows])}\n`);
process.stdout.write(`\nwritten to ${outputPath}\n`);
if (chaos.samples.faulty.leaked > 0) {
  process.stderr.write(`bench: the chaos run leaked ${chaos.samples.faulty.leaked} resource(s)\n`);
  process.exitCode = 1;
}
if (fleet.failed > 0) {
  process.stderr.write(`bench: ${fleet.failed} fleet run(s) failed; first: ${fleet.firstError}\n`);
  process.exitCode = 1;
}
