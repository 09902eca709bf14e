import { describe, expect, it } from "vitest";
import { jsonLogger } from "./json-logger.js";

describe("jsonLogger", () => {
  it("writes one JSON object per line for events and messages", () => {
    const lines: string[] = [];
    const logger = jsonLogger({ write: (line) => lines.push(line), now: () => 7 });
    logger.event?.({ type: "phase-end", phase: "placement", time: 5, durationMs: 3, ok: true });
    logger.warn?.("careful", { retries: 2 });
    logger.debug?.("hidden by default");
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { level: "info", type: "phase-end", phase: "placement", time: 5, durationMs: 3, ok: true },
      { level: "warn", time: 7, message: "careful", data: { retries: 2 } },
    ]);
    expect(lines.every((line) => !line.includes("\n"))).toBe(true);
  });
});
