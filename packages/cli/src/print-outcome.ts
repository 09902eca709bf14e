import type { Mode, RunOutcome } from "@tailvm/gh-runner";

/**
 * The result on stdout: one JSON object with `--json`, otherwise a short readable report.
 */
export function formatOutcome(mode: Mode, outcome: RunOutcome, json: boolean): string {
  if (json) {
    const { abandoned: _abandoned, ...rest } = outcome;
    return `${JSON.stringify({ mode, ...rest })}\n`;
  }
  if (mode === "plan" && outcome.plan) {
    const plan = outcome.plan;
    const rows = [
      ["name", plan.name],
      [
        "candidates",
        plan.candidates.map((item) => `${item.serverType}@${item.location}`).join(", "),
      ],
      ["image", plan.image],
      [
        "labels",
        Object.entries(plan.labels)
          .map(([key, value]) => `${key}=${value}`)
          .join(", "),
      ],
      ["tags", plan.authKey.tags.join(", ")],
      ["expires_at", plan.expiresAt ?? "-"],
    ];
    return `${table(rows)}\ncloud-config (auth key as ***):\n${plan.cloudConfig}\n`;
  }
  const rows = Object.entries(outcome.outputs).map(([name, value]) => [name, value ?? ""]);
  if (mode === "provision") {
    if (!outcome.result) return "";
    const title = outcome.status === "success" ? "VM ready" : "VM kept";
    return `${title}:\n${table(rows)}\n`;
  }
  if (outcome.status === "invalid-inputs") return "";
  const found = outcome.reap
    ? [
        [
          "expired_servers",
          outcome.reap.expiredServers.map((server) => `${server.name} (${server.id})`).join(", ") ||
            "-",
        ],
        ["devices", outcome.reap.devices.map((device) => device.hostname).join(", ") || "-"],
      ]
    : [];
  return `${table([...found, ...rows])}\n`;
}

function table(rows: string[][]): string {
  return rows
    .map(([name = "", value = ""]) => `  ${name.padEnd(20)}${value === "" ? "-" : value}`)
    .join("\n");
}
