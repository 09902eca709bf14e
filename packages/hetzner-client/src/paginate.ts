import type { Client, ClientPathsWithMethod, MethodResponse } from "openapi-fetch";
import type { ClientContext } from "./client-context";
import type { paths } from "./generated/hetzner";

type GetPath = ClientPathsWithMethod<Client<paths>, "get">;
type GetData<Path extends GetPath> = MethodResponse<Client<paths>, "get", Path>;
type GetParameters<Path extends GetPath> = paths[Path]["get"] extends { parameters: infer P }
  ? P
  : never;

/**
 * Every `GET` path whose answer carries `meta.pagination`, e.g. `"/servers"`.
 *
 * @example
 * ```ts
 * import type { PaginatedPath } from "@tailvm/hetzner-client";
 *
 * const path: PaginatedPath = "/server_types";
 * ```
 */
export type PaginatedPath = {
  [Path in GetPath]: GetData<Path> extends { meta: { pagination: unknown } } ? Path : never;
}[GetPath];

type ListKey<Path extends PaginatedPath> = Exclude<keyof GetData<Path>, "meta">;

/**
 * The item type of a paginated list, e.g. `PageItem<"/servers">` is `Server`.
 *
 * @example
 * ```ts
 * import type { PageItem } from "@tailvm/hetzner-client";
 *
 * type Image = PageItem<"/images">;
 * ```
 */
export type PageItem<Path extends PaginatedPath> = {
  [Key in ListKey<Path>]: GetData<Path>[Key] extends readonly (infer Item)[] ? Item : never;
}[ListKey<Path>];

/**
 * Parameters of `paginate`: the list endpoint's query (without `page` and `per_page`, which
 * `paginate` sets), its path parameters, and an AbortSignal.
 *
 * @example
 * ```ts
 * const init: PaginateInit<"/servers"> = { params: { query: { label_selector: "tailvm" } } };
 * ```
 */
export interface PaginateInit<Path extends PaginatedPath> {
  params?:
    | {
        query?:
          | Omit<
              NonNullable<GetParameters<Path> extends { query?: infer Q } ? Q : never>,
              "page" | "per_page"
            >
          | undefined;
        path?: NonNullable<GetParameters<Path> extends { path?: infer P } ? P : never> | undefined;
      }
    | undefined;
  signal?: AbortSignal | undefined;
}

/** The page size `paginate` asks for: Hetzner's largest. */
const PER_PAGE = 50;

/**
 * Yields every item of a list endpoint, page by page (`per_page` 50), following
 * `meta.pagination.next_page` until it is `null`.
 */
export async function* paginateList<Path extends PaginatedPath>(
  context: Pick<ClientContext, "api" | "unwrap">,
  path: Path,
  init: PaginateInit<Path> = {},
): AsyncGenerator<PageItem<Path>, void, undefined> {
  // The generic path defeats openapi-fetch's per-path overloads; the types above keep callers exact.
  const get = context.api.GET as unknown as (
    path: string,
    init: { params: Record<string, unknown>; signal?: AbortSignal },
  ) => Promise<{ data?: Record<string, unknown>; error?: unknown; response: Response }>;
  let page: number | null = 1;
  while (page !== null) {
    const current: number = page;
    const data: Record<string, unknown> = context.unwrap(
      await get(path, {
        params: {
          ...(init.params?.path === undefined ? {} : { path: init.params.path }),
          query: { ...init.params?.query, page: current, per_page: PER_PAGE },
        },
        ...(init.signal === undefined ? {} : { signal: init.signal }),
      }),
    );
    const listKey = Object.keys(data).find((key) => key !== "meta" && Array.isArray(data[key]));
    const items = (listKey === undefined ? [] : data[listKey]) as PageItem<Path>[];
    yield* items;
    const pagination = (data.meta as { pagination?: { next_page?: number | null } } | undefined)
      ?.pagination;
    const next: number | null = pagination?.next_page ?? null;
    page = next !== null && next > current ? next : null;
  }
}

/** Every item of a list endpoint, all pages. */
export async function collectPages<Path extends PaginatedPath>(
  context: Pick<ClientContext, "api" | "unwrap">,
  path: Path,
  init: PaginateInit<Path> = {},
): Promise<PageItem<Path>[]> {
  const items: PageItem<Path>[] = [];
  for await (const item of paginateList(context, path, init)) items.push(item);
  return items;
}
