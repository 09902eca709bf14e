const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** The longest ttl accepted: one year. */
export const MAX_TTL_SECONDS = 365 * 86_400;

/**
 * Parses a ttl (`"90s"`, `"30m"`, `"2h"`, `"1d"`, `"3600"` or a number of seconds) into whole
 * seconds, or returns `undefined` when it is not one.
 *
 * @example
 * ```ts
 * parseTtl("2h"); // 7200
 * parseTtl(600);  // 600
 * parseTtl("2 weeks"); // undefined
 * ```
 */
export function parseTtl(ttl: string | number): number | undefined {
  if (typeof ttl === "number") {
    return Number.isInteger(ttl) && ttl > 0 && ttl <= MAX_TTL_SECONDS ? ttl : undefined;
  }
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(ttl);
  if (!match) return undefined;
  const seconds = Number(match[1]) * (UNIT_SECONDS[(match[2] || "s").toLowerCase()] ?? 1);
  return seconds > 0 && seconds <= MAX_TTL_SECONDS ? seconds : undefined;
}
