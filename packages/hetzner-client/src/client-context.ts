import type { Clock } from "@tailvm/internal";
import type { Client } from "openapi-fetch";
import type { paths } from "./generated/hetzner";
import type { ApiResult } from "./unwrap";

/** What the helpers share: the typed API, the clock and `unwrap`. */
export interface ClientContext {
  api: Client<paths>;
  clock: Clock;
  unwrap<Data>(result: ApiResult<Data>): Data;
}

/** `{ signal }` when there is one, for openapi-fetch's options (which take no `undefined`). */
export function signalOf(options: { signal?: AbortSignal | undefined }): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}

/** The query with the `undefined` entries left out. */
export function definedEntries<Query extends Record<string, unknown>>(
  query: Query,
): { [Key in keyof Query]?: Exclude<Query[Key], undefined> } {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as {
    [Key in keyof Query]?: Exclude<Query[Key], undefined>;
  };
}
