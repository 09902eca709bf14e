/**
 * The texts that contain one of `secrets` (each shown by its start only). One search per secret
 * over all texts joined, so a suite with thousands of log lines checks in milliseconds.
 */
export function findLeaks(texts: readonly string[], secrets: Iterable<string>): string[] {
  const joined = texts.join("\u0000");
  const leaks: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 4 || !joined.includes(secret)) continue;
    for (const text of texts) {
      if (text.includes(secret)) leaks.push(JSON.stringify(text.slice(0, 80)));
    }
  }
  return leaks;
}
