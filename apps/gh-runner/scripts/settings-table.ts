// The settings and outputs tables of the READMEs, from the settings table (src/settings.ts). The
// tests fail when a README's copy differs; print them with `tsx scripts/settings-table.ts`.
import { fileURLToPath } from "node:url";
import { OUTPUTS } from "../src/outputs.js";
import { flagOf, SETTINGS, settingEntries } from "../src/settings.js";

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

/** Every setting: action input, CLI flag, environment variable, modes, default, description. */
export function settingsTable(): string {
  const rows = settingEntries().map(([name, setting]) => [
    `\`${name}\``,
    setting.actionOnly ? "(subcommand)" : `\`${flagOf(name)}\``,
    `\`${setting.env}\``,
    setting.modes
      .map((mode) => (setting.requiredIn?.includes(mode) ? `**${mode}**` : mode))
      .join(", "),
    setting.default === undefined ? "" : `\`${setting.default}\``,
    `${setting.description}${setting.secret ? " Secret." : ""}`,
  ]);
  return markdownTable(
    ["input", "CLI flag", "environment variable", "modes (**required**)", "default", "description"],
    rows,
  );
}

/** Every output of the action (the CLI prints the same names). */
export function outputsTable(): string {
  return markdownTable(
    ["output", "description"],
    Object.entries(OUTPUTS).map(([name, output]) => [`\`${name}\``, output.description]),
  );
}

/** The names `tailvm sim` prints. */
export const SIMULATOR_SETTINGS = [
  SETTINGS.hetzner_api_url.env,
  SETTINGS.tailscale_api_url.env,
  SETTINGS.hetzner_api_token.env,
  SETTINGS.tailscale_oauth_client_id.env,
  SETTINGS.tailscale_oauth_client_secret.env,
];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${settingsTable()}\n\n${outputsTable()}\n`);
}
