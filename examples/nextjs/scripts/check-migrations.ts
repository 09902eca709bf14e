// Fails when lib/database/schema.ts has changes that no migration in drizzle/ carries: it runs
// `drizzle-kit generate` against a copy of drizzle/ and looks for a new file.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";

const copy = ".migrations-check";
rmSync(copy, { recursive: true, force: true });
cpSync("drizzle", copy, { recursive: true });
try {
  execFileSync(
    process.execPath,
    [
      "node_modules/drizzle-kit/bin.cjs",
      "generate",
      "--dialect",
      "postgresql",
      "--schema",
      "./lib/database/schema.ts",
      "--out",
      `./${copy}`,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const added = readdirSync(copy).filter((name) => !readdirSync("drizzle").includes(name));
  if (added.length > 0) {
    console.error(
      `lib/database/schema.ts has changes without a migration: run \`pnpm --filter @tailvm/example-nextjs db:generate --name <what changed>\` and commit drizzle/.`,
    );
    process.exitCode = 1;
  } else {
    console.log("drizzle/ matches lib/database/schema.ts.");
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
