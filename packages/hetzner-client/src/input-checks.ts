import { HetznerInputError } from "./errors";

/** Throws unless `id` is a positive safe integer, as every Hetzner resource ID is. */
export function assertId(id: unknown, field: string): asserts id is number {
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
    throw new HetznerInputError(field, `expected a positive integer, got ${String(id)}`);
  }
}

/** Throws unless `value` is a string with something besides white space. */
export function assertText(value: unknown, field: string): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new HetznerInputError(field, "expected a non-empty string");
  }
}

/** Throws unless `value` is the ID (a positive integer) or the name of a `what`. */
export function assertIdOrName(value: unknown, field: string, what: string): void {
  const isId = typeof value === "number" && Number.isSafeInteger(value) && value > 0;
  const isName = typeof value === "string" && value.trim() !== "";
  if (!isId && !isName) {
    throw new HetznerInputError(
      field,
      `expected the ID (a positive integer) or the name (a non-empty string) of a ${what}, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
}

/** Throws unless `value` is one of `allowed`; the message lists them. */
export function assertOneOf<Value extends string>(
  value: unknown,
  allowed: readonly Value[],
  field: string,
): asserts value is Value {
  if (!allowed.includes(value as Value)) {
    throw new HetznerInputError(
      field,
      `expected one of ${allowed.map((entry) => `"${entry}"`).join(", ")}, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
}

/** Throws unless `value` is undefined or an object whose values are all strings. */
export function assertLabels(value: unknown, field: string): void {
  if (value === undefined) return;
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((entry) => typeof entry === "string")
  ) {
    throw new HetznerInputError(field, 'expected an object of string values, e.g. { team: "ci" }');
  }
}

const hostnameLabel = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** Whether `name` is an RFC 1123 hostname, as Hetzner requires of server names. */
export function isHostname(name: string): boolean {
  return name.length <= 253 && name.split(".").every((label) => hostnameLabel.test(label));
}
