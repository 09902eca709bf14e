/** The list, get and delete routes every labelled Hetzner resource shares. */
import { hetznerError, notFound } from "./hetzner-errors.js";
import { parseId } from "./hetzner-input.js";
import { type ListOptions, listResponse } from "./hetzner-list.js";
import { jsonResponse, type Route } from "./router.js";

interface LabelledRecord {
  id: number;
  name: string;
  labels: Record<string, string>;
}

export interface ResourceRoutesOptions<Item extends LabelledRecord> {
  /** The collection's path, e.g. `"/ssh_keys"`. */
  path: string;
  /** The list answer's root key, e.g. `"ssh_keys"`. */
  listKey: string;
  /** A single answer's root key, e.g. `"ssh_key"`. */
  itemKey: string;
  /** What errors call one, e.g. `"SSH key"`. */
  noun: string;
  records: Map<number, Item>;
  toJson: (item: Item) => unknown;
  /** Query filters the list takes besides `name` and `label_selector`. */
  filter?: (item: Item, query: URLSearchParams) => boolean;
  sort?: ListOptions<Item>["sort"];
  /** Serves `DELETE {path}/{id}`; an answer it returns refuses the delete. */
  remove?: (item: Item) => Response | undefined;
}

/**
 * `GET {path}` (by name, label selector and `filter`, sorted by id), `GET {path}/{id}` and, with
 * `remove`, `DELETE {path}/{id}`; `find` answers 404 for an unknown id and `nameTaken` 409 for a
 * name in use, as Hetzner does.
 */
export function createResourceRoutes<Item extends LabelledRecord>(
  options: ResourceRoutesOptions<Item>,
) {
  const { records, noun } = options;
  const find = (id: string | undefined): Item | Response =>
    records.get(parseId(id) ?? 0) ?? notFound(noun, id);
  const nameTaken = (name: string): Response | undefined =>
    [...records.values()].some((record) => record.name === name)
      ? hetznerError("uniqueness_error", `${noun} with the same name already exists`, {
          fields: [{ name: "name" }],
        })
      : undefined;
  const routes: Route[] = [
    {
      method: "GET",
      template: options.path,
      handler: (context) => {
        const name = context.query.get("name");
        const items = [...records.values()]
          .sort((a, b) => a.id - b.id)
          .filter((item) => name === null || item.name === name)
          .filter((item) => options.filter?.(item, context.query) ?? true);
        return listResponse(context, {
          key: options.listKey,
          items,
          toJson: options.toJson,
          labels: (item) => item.labels,
          ...(options.sort ? { sort: options.sort } : {}),
        });
      },
    },
    {
      method: "GET",
      template: `${options.path}/{id}`,
      handler: ({ params }) => {
        const item = find(params.id);
        if (item instanceof Response) return item;
        return jsonResponse({ [options.itemKey]: options.toJson(item) });
      },
    },
  ];
  const { remove } = options;
  if (remove) {
    routes.push({
      method: "DELETE",
      template: `${options.path}/{id}`,
      handler: ({ params }) => {
        const item = find(params.id);
        if (item instanceof Response) return item;
        const refused = remove(item);
        if (refused) return refused;
        records.delete(item.id);
        return new Response(null, { status: 204 });
      },
    });
  }
  return { find, nameTaken, routes };
}
