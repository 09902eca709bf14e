// The consumer test: packs every publishable tailvm package, installs the tarballs with plain npm
// into a fresh project outside the workspace (nothing comes from the workspace but the tarballs),
// then, as a user would: type-checks consumer files and every README's TypeScript blocks under
// NodeNext and Bundler resolution (strict, exactOptionalPropertyTypes), provisions a VM against the
// loopback simulator from ESM and from CommonJS, and runs a vitest suite that uses @tailvm/testing as
// its README says.
//   node run.mjs           the whole test
//   node run.mjs --keep    keep the temporary project and print where it is
import { execFileSync, spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { extractTypeScriptBlocks } from "./readme-blocks.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const keep = process.argv.includes("--keep");
const started = Date.now();

const log = (line) => process.stdout.write(`consumer: ${line}\n`);
function run(command, args, cwd, options = {}) {
  const shown = `${command} ${args.join(" ")}`;
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 300_000,
    });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`);
    const how = error.signal ? `was stopped by ${error.signal}` : `failed (exit ${error.status})`;
    throw new Error(`'${shown}' ${how} in ${relative(root, cwd) || cwd}`);
  }
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Every workspace package that is published (not private), with its README. */
function publishablePackages() {
  const found = [];
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, group))) {
      const folder = join(root, group, name);
      let manifest;
      try {
        manifest = readJson(join(folder, "package.json"));
      } catch {
        continue;
      }
      if (manifest.private !== true) found.push({ folder, manifest });
    }
  }
  return found;
}

const pnpm = process.env.npm_execpath
  ? [process.execPath, [process.env.npm_execpath]]
  : ["npx", ["-y", "pnpm@10"]];

const work = mkdtempSync(join(tmpdir(), "tailvm-consumer-"));
try {
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  const packages = publishablePackages();
  const specs = {};
  for (const { folder, manifest } of packages) {
    const out = run(pnpm[0], [...pnpm[1], "pack", "--pack-destination", tarballs], folder);
    const file = out.trim().split("\n").pop().trim();
    specs[manifest.name] = `file:${file.startsWith("/") ? file : join(tarballs, file)}`;
  }
  log(`packed ${Object.keys(specs).join(", ")}`);

  const project = join(work, "project");
  cpSync(join(here, "project"), project, { recursive: true });
  const rootManifest = readJson(join(root, "package.json"));
  const testingManifest = readJson(join(root, "packages", "testing", "package.json"));
  const devVersion = (name) =>
    rootManifest.devDependencies?.[name] ??
    testingManifest.devDependencies?.[name] ??
    testingManifest.dependencies?.[name] ??
    testingManifest.peerDependencies?.[name];
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify(
      {
        name: "tailvm-consumer",
        private: true,
        type: "module",
        dependencies: specs,
        devDependencies: {
          "@types/node": devVersion("@types/node"),
          msw: devVersion("msw"),
          typescript: devVersion("typescript"),
          vitest: devVersion("vitest"),
        },
        // The tarballs depend on each other by version; these versions are not on the registry.
        overrides: specs,
      },
      null,
      2,
    )}\n`,
  );
  // A cold npm cache on a loaded 2-core machine can take minutes, and another npm install running
  // beside this one (other packages' tests) can trip over the shared cache: one more try.
  const install = () =>
    run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
      project,
      {
        timeoutMs: 900_000,
      },
    );
  try {
    install();
  } catch (error) {
    log(`npm install failed once (${error.message}); trying again`);
    install();
  }
  log("installed the tarballs with npm");

  const readmes = [{ name: "tailvm", file: join(root, "README.md") }].concat(
    packages.map(({ folder, manifest }) => ({
      name: manifest.name,
      file: join(folder, "README.md"),
    })),
  );
  const readmeFolder = join(project, "src", "readme");
  mkdirSync(readmeFolder, { recursive: true });
  let blocks = 0;
  let fragments = 0;
  for (const readme of readmes) {
    let text;
    try {
      text = readFileSync(readme.file, "utf8");
    } catch {
      continue;
    }
    const slug = readme.name.replace(/^@tailvm\//, "").replace(/[^a-z0-9-]/g, "-");
    for (const block of extractTypeScriptBlocks(text)) {
      if (block.fragment) {
        fragments += 1;
        continue;
      }
      blocks += 1;
      // A block that is a whole vitest file also runs with the project's suite.
      const isTestFile = /from "vitest"/.test(block.code) && /\bit\(/.test(block.code);
      writeFileSync(
        join(readmeFolder, `${slug}-line-${block.line}${isTestFile ? ".test" : ""}.ts`),
        `// ${relative(root, readme.file)}, the block at line ${block.line}\n${block.code}\nexport {};\n`,
      );
    }
  }
  log(`extracted ${blocks} README blocks (${fragments} marked as fragments)`);

  for (const config of ["tsconfig.nodenext.json", "tsconfig.bundler.json", "cjs/tsconfig.json"]) {
    run(join(project, "node_modules", ".bin", "tsc"), ["-p", config], project);
    log(`type-checked with ${config}`);
  }

  const output = run(process.execPath, ["--experimental-strip-types", "src/provision.ts"], project);
  log(`ESM: ${output.trim().split("\n").pop()}`);
  const cjsOutput = run(process.execPath, ["provision.cjs"], join(project, "cjs"));
  log(`CommonJS: ${cjsOutput.trim().split("\n").pop()}`);

  await provisionWithTheCli(project);

  run(join(project, "node_modules", ".bin", "vitest"), ["run", "--reporter=dot"], project);
  log("vitest suite passed");
  log(`passed in ${Math.round((Date.now() - started) / 1000)} s`);
} finally {
  if (keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

/**
 * `tailvm sim` in one process, `tailvm provision` and `tailvm deprovision` in others, wired only
 * through the variables the simulator prints: the installed CLI as a workflow's `run:` step uses it.
 */
async function provisionWithTheCli(project) {
  const tailvm = join(project, "node_modules", ".bin", "tailvm");
  const sim = spawn(tailvm, ["sim", "--port", "0"], {
    cwd: project,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const printed = await new Promise((resolve, reject) => {
      let text = "";
      const timer = setTimeout(
        () => reject(new Error("tailvm sim printed no settings within 30 s")),
        30_000,
      );
      sim.stdout.on("data", (chunk) => {
        text += chunk;
        if (text.includes("\n#")) {
          clearTimeout(timer);
          resolve(text);
        }
      });
      sim.once("exit", (code) => reject(new Error(`tailvm sim exited with ${code}`)));
    });
    const env = Object.fromEntries(
      printed
        .split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    const inWorkflow = {
      ...env,
      GITHUB_ACTIONS: "true",
      TAILVM_AGENT_ID: "agent-cli",
      TAILVM_TAILSCALE_TAGS: "tag:ci",
    };
    const provisioned = JSON.parse(
      run(tailvm, ["provision", "--json"], project, { env: inWorkflow }),
    );
    const serverId = provisioned.serverId ?? provisioned.result?.serverId;
    if (typeof serverId !== "number")
      throw new Error(`tailvm provision --json gave no serverId: ${JSON.stringify(provisioned)}`);
    run(tailvm, ["deprovision", "--server-id", String(serverId), "--json"], project, { env });
    log(`CLI: tailvm provision and deprovision of server ${serverId} against tailvm sim`);
  } finally {
    sim.kill("SIGTERM");
  }
}
