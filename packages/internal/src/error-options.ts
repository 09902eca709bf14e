/**
 * The `Error` constructor's options for an optional cause: `{ cause }` only when there is one, so
 * an error without a cause has no `cause` property at all (not one set to `undefined`).
 */
export function causeOptions(cause: unknown): ErrorOptions | undefined {
  return cause === undefined ? undefined : { cause };
}
