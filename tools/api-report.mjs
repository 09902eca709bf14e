// Writes or checks a package's API report: every export of its built `dist/index.d.ts`, as API
// Extractor renders it, with the bodies of the types generated from an OpenAPI document folded to
// one line (they are reviewed as the generated files themselves).
//   node ../../tools/api-report.mjs           fail when etc/<name>.api.md differs from the build
//   node ../../tools/api-report.mjs --update  write etc/<name>.api.md
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
