// Writes or checks a package's API report: every export of its built `dist/index.d.ts`, as API
// Extractor renders it, with the bodies of the types generated from an OpenAPI document folded to
// one line (they are reviewed as the generated files themselves).
// It also fails when the built `dist/index.js` exports other runtime values than the report
// declares (a value the bundle exports without a declaration, or one declared but not bundled).
//   node ../../tools/api-report.mjs           fail when etc/<name>.api.md differs from the build
//   node ../../tools/api-report.mjs --update  write etc/<name>.api.md
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const GENERATED_TYPES = ["paths", "operations", "components", "webhooks"];
const update = process.argv.includes("--update");
const packageFolder = process.cwd();
const manifest = JSON.parse(readFileSync(join(packageFolder, "package.json"), "utf8"));
const unscopedName = manifest.name.replace(/^@[^/]+\//, "");
const reportPath = join(packageFolder, "etc", `${unscopedName}.api.md`);

const temp = mkdtempSync(join(tmpdir(), "api-report-"));
try {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: packageFolder,
      mainEntryPointFilePath: "<projectFolder>/dist/index.d.ts",
      compiler: {
        overrideTsconfig: { compilerOptions: { lib: ["ES2023", "DOM"], skipLibCheck: true } },
      },
      apiReport: { enabled: true, reportFolder: temp, reportTempFolder: temp },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: "none" } },
        extractorMessageReporting: { default: { logLevel: "none" } },
        tsdocMessageReporting: { default: { logLevel: "none" } },
      },
    },
    configObjectFullPath: join(packageFolder, "api-extractor.json"),
    packageJsonFullPath: join(packageFolder, "package.json"),
  });
  const result = Extractor.invoke(config, { localBuild: true, messageCallback: () => {} });
  if (!result.succeeded) throw new Error(`API Extractor failed for ${manifest.name}`);
  const rendered = readFileSync(join(temp, `${unscopedName}.api.md`), "utf8").replace(
    /\r\n/g,
    "\n",
  );
  const report = foldGeneratedTypes(rendered);
  await checkRuntimeExports(report);

  if (update) {
    mkdirSync(join(packageFolder, "etc"), { recursive: true });
    writeFileSync(reportPath, report);
    console.log(`api-report: wrote ${reportPath}`);
  } else if (!existsSync(reportPath)) {
    fail(`${manifest.name} has no API report. Run \`pnpm api:update\` and commit etc/.`);
  } else if (readFileSync(reportPath, "utf8") !== report) {
    const fresh = join(temp, "fresh.api.md");
    writeFileSync(fresh, report);
    let diff = "";
    try {
      execFileSync("diff", ["-u", reportPath, fresh], { encoding: "utf8" });
    } catch (error) {
      diff = String(error.stdout ?? "");
    }
    fail(
      `${manifest.name}'s public API differs from etc/${unscopedName}.api.md:\n${diff}\n` +
        "If the change is intended, run `pnpm api:update` and commit the report.",
    );
  } else {
    console.log(`api-report: ${manifest.name} matches etc/${unscopedName}.api.md`);
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

/** The names of the runtime values (functions, classes, constants, enums) a report exports. */
function declaredValues(report) {
  const value = "(?:declare )?(?:abstract )?(?:function|class|const|let|var|enum|namespace)";
  const names = [...report.matchAll(new RegExp(`^export ${value} (\\w+)`, "gm"))].map((m) => m[1]);
  for (const [, list] of report.matchAll(/^export \{ ([^}]+) \}/gm)) {
    for (const entry of list.split(",")) {
      const [local, exported = local] = entry.trim().split(/\s+as\s+/);
      if (new RegExp(`^(?:export )?${value} ${local}\\b`, "m").test(report)) names.push(exported);
    }
  }
  return [...new Set(names)].sort();
}

async function checkRuntimeExports(report) {
  const built = await import(pathToFileURL(join(packageFolder, "dist", "index.js")).href);
  const runtime = Object.keys(built).sort();
  const declared = declaredValues(report);
  const undeclared = runtime.filter((name) => !declared.includes(name));
  const missing = declared.filter((name) => !runtime.includes(name));
  if (undeclared.length > 0 || missing.length > 0) {
    fail(
      `${manifest.name}'s dist/index.js does not export the values its API report declares` +
        (undeclared.length > 0
          ? `; exported without a declaration: ${undeclared.join(", ")}`
          : "") +
        (missing.length > 0 ? `; declared but not exported: ${missing.join(", ")}` : "") +
        ".",
    );
  }
}

function foldGeneratedTypes(text) {
  const lines = text.split("\n");
  const out = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const match = /^export interface (\w+) \{$/.exec(line);
    if (match && GENERATED_TYPES.includes(match[1])) {
      while (index < lines.length && lines[index] !== "}") index++;
      out.push(`export interface ${match[1]} { /* generated from the OpenAPI document */ }`);
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}

function fail(message) {
  console.error(`api-report: ${message}`);
  process.exit(1);
}
