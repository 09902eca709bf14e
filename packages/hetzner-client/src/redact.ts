/** Replaces every occurrence of each secret in `text` with `***`. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const values = secrets.filter((secret) => secret.length > 0);
  return (text) => {
    let result = text;
    for (const secret of values) result = result.split(secret).join("***");
    return result;
  };
}

/**
 * Returns `cause` unchanged when no secret appears anywhere in it (message, stack, properties,
 * nested causes); otherwise a copy of the chain with every secret replaced by `***`.
 */
export function sanitizeCause(
  cause: unknown,
  redact: (text: string) => string,
  depth = 0,
): unknown {
  const text = describeDeep(cause, 0);
  if (redact(text) === text) return cause;
  if (!(cause instanceof Error) || depth > 5) return redact(text);
  const copy = new Error(
    redact(cause.message),
    cause.cause === undefined
      ? undefined
      : { cause: sanitizeCause(cause.cause, redact, depth + 1) },
  );
  copy.name = cause.name;
  copy.stack = redact(cause.stack ?? "");
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code: redact(code) });
  return copy;
}

function describeDeep(value: unknown, depth: number): string {
  if (depth > 5) return "";
  if (value instanceof Error) {
    return `${value.name} ${value.message} ${value.stack ?? ""} ${safeJson(value)} ${describeDeep(value.cause, depth + 1)}`;
  }
  return typeof value === "string" ? value : safeJson(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}
