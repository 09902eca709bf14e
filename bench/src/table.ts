/** One line of the benchmark table. */
export interface ResultRow {
  /** Stable key, e.g. "orchestration-ratio". */
  id: string;
  /** The numbered item this row belongs to (1 to 5). */
  item: number;
  measurement: string;
  /** tailvm's figure, formatted. */
  tailvm: string;
  /** The old way's figure (or the reference it is compared with), formatted; "" when none. */
  baseline: string;
  /** The raw numbers behind the two figures. */
  values: Record<string, number>;
}

const HEADERS = ["#", "measurement", "tailvm", "old way"] as const;

function cells(row: ResultRow): string[] {
  return [String(row.item), row.measurement, row.tailvm, row.baseline || "-"];
}

/** The rows as an aligned plain-text table. */
export function formatTextTable(rows: ResultRow[]): string {
  const lines = [HEADERS as readonly string[], ...rows.map(cells)];
  const widths = HEADERS.map((_, column) =>
    Math.max(...lines.map((line) => (line[column] ?? "").length)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [
    render(lines[0] ?? []),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...lines.slice(1).map(render),
  ].join("\n");
}

/** The rows as a Markdown table (for README.md). */
export function formatMarkdownTable(rows: ResultRow[]): string {
  const escapePipes = (cell: string) => cell.replaceAll("|", "\\|");
  return [
    `| ${HEADERS.join(" | ")} |`,
    `| ${HEADERS.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${cells(row).map(escapePipes).join(" | ")} |`),
  ].join("\n");
}

/** 12 345 ms as "12.3 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A byte count in kB or MB (powers of 1000). */
export function bytes(count: number): string {
  if (count >= 1_000_000) return `${(count / 1_000_000).toFixed(1)} MB`;
  return `${(count / 1000).toFixed(1)} kB`;
}
