import type { Clock } from "@tailvm/internal";
import type { Client } from "openapi-fetch";
import { HetznerApiError } from "./errors";
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

/**
 * The one item a `GET /<resource>s/{id}` answer carries; an answer without it is Hetzner's
 * `not_found`, as a 404 would be.
 */
export function foundItem<Item>(
  item: Item | undefined,
  resource: "server" | "network",
  id: number,
): Item {
  if (item !== undefined) return item;
  throw new HetznerApiError({
    status: 404,
    code: "not_found",
    apiMessage: `${resource} ${id} not found`,
    method: "GET",
    path: `/${resource}s/${id}`,
  });
}

/** The query with the `undefined` entries left out. */
export function definedEntries<Query extends Record<string, unknown>>(
  query: Query,
): { [Key in keyof Query]?: Exclude<Query[Key], undefined> } {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as {
    [Key in keyof Query]?: Exclude<Query[Key], undefined>;
  };
}
