/**
 * Formats milliseconds for people: `850 ms`, `12.3 s`, `2 min 5 s`.
 *
 * @example
 * ```ts
 * formatDuration(12_345); // "12.3 s"
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return `${minutes} min ${seconds} s`;
}
