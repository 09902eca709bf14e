/** What every Hetzner list answer shares: label selectors, sorting, pages, `meta` and `Link`. */
import { invalidInput } from "./hetzner-errors.js";
import type { Json } from "./hetzner-json.js";
import { LabelSelectorError, matchesLabelSelector } from "./label-selector.js";
import { jsonResponse, type RouteContext } from "./router.js";

type Pagination = Json<"list_servers", 200>["meta"]["pagination"];

export interface ListOptions<Item> {
  /** The answer's root key, e.g. `"servers"`. */
  key: string;
  items: Item[];
  toJson: (item: Item) => unknown;
  /** The item's labels, when the endpoint takes `label_selector`. */
  labels?: (item: Item) => Record<string, string>;
  /** The item's fields `sort` accepts (`field`, `field:asc`, `field:desc`), sorted by their value. */
  sort?: readonly SortField<Item>[];
}

/** A field of `Item` whose value is a string or a number. */
export type SortField<Item> = {
  [Field in keyof Item]: Item[Field] extends string | number ? Field : never;
}[keyof Item] &
  string;

const MAX_PER_PAGE = 50;

function positiveInteger(query: URLSearchParams, name: string, fallback: number) {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

function sortItems<Item>(
  items: Item[],
  query: URLSearchParams,
  fields: readonly SortField<Item>[] = [],
): Item[] | Response {
  const orders = query.getAll("sort");
  const comparators: ((a: Item, b: Item) => number)[] = [];
  for (const order of orders) {
    const [name = "", direction = "asc"] = order.split(":");
    const field = fields.find((candidate) => candidate === name);
    if (!field || (direction !== "asc" && direction !== "desc")) {
      const allowed = fields.flatMap((key) => [key, `${key}:asc`, `${key}:desc`]);
      return invalidInput([
        { name: "sort", messages: [`'${order}' is not one of: ${allowed.join(", ") || "none"}`] },
      ]);
    }
    const sign = direction === "desc" ? -1 : 1;
    comparators.push((a, b) => {
      const left = a[field];
      const right = b[field];
      return left < right ? -sign : left > right ? sign : 0;
    });
  }
  if (comparators.length === 0) return items;
  return [...items].sort((a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  });
}

function linkHeader(url: URL, pagination: Pagination): string | undefined {
  const link = (page: number, rel: string) => {
    const target = new URL(url);
    target.searchParams.set("page", String(page));
    target.searchParams.set("per_page", String(pagination.per_page));
    return `<${target.href}>; rel="${rel}"`;
  };
  const links = [
    ...(pagination.previous_page ? [link(pagination.previous_page, "prev")] : []),
    ...(pagination.next_page ? [link(pagination.next_page, "next")] : []),
    ...(pagination.last_page && pagination.last_page > 1
      ? [link(pagination.last_page, "last")]
      : []),
  ];
  return links.length > 0 ? links.join(", ") : undefined;
}

/**
 * A list answer: filtered by `label_selector`, sorted by `sort`, cut to `page`/`per_page` (at most
 * 50), with `meta.pagination` and a `Link` header (`prev`, `next`, `last`) as the API document says.
 *
 * @example
 * ```ts
 * return listResponse(context, { key: "ssh_keys", items: keys, toJson: (key) => sshKeyJson(world, key) });
 * ```
 */
export function listResponse<Item>(context: RouteContext, options: ListOptions<Item>): Response {
  const { query } = context;
  let items = options.items;
  const selector = query.get("label_selector");
  if (selector !== null && options.labels) {
    const labelsOf = options.labels;
    try {
      items = items.filter((item) => matchesLabelSelector(labelsOf(item), selector));
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      return invalidInput([{ name: "label_selector", messages: [error.message] }]);
    }
  }
  const sorted = sortItems(items, query, options.sort);
  if (sorted instanceof Response) return sorted;
  const page = positiveInteger(query, "page", 1);
  if (page === undefined) {
    return invalidInput([{ name: "page", messages: ["must be an integer >= 1"] }]);
  }
  const perPage = positiveInteger(query, "per_page", 25);
  if (perPage === undefined) {
    return invalidInput([
      { name: "per_page", messages: [`must be an integer between 1 and ${MAX_PER_PAGE}`] },
    ]);
  }
  const size = Math.min(perPage, MAX_PER_PAGE);
  const lastPage = Math.max(1, Math.ceil(sorted.length / size));
  const pagination: Pagination = {
    page,
    per_page: size,
    previous_page: page > 1 ? Math.min(page - 1, lastPage) : null,
    next_page: page < lastPage ? page + 1 : null,
    last_page: lastPage,
    total_entries: sorted.length,
  };
  const link = linkHeader(new URL(context.request.url), pagination);
  return jsonResponse(
    {
      [options.key]: sorted.slice((page - 1) * size, page * size).map(options.toJson),
      meta: { pagination },
    },
    200,
    link ? { Link: link } : undefined,
  );
}
