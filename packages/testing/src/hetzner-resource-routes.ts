/** The list, get and delete routes every labelled Hetzner resource shares. */
import { hetznerError, type InvalidField, notFound } from "./hetzner-errors.js";
import { parseId, readJsonBody } from "./hetzner-input.js";
import { type ListOptions, listResponse } from "./hetzner-list.js";
import { jsonResponse, type Route, type RouteContext } from "./router.js";

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
  /**
   * Serves `POST {path}`: given the request's JSON object and an empty list to add invalid fields
   * to, it returns the new record (kept and answered 201) or a refusal. A body that is not a JSON
   * object is refused before it is called.
   */
  create?: (
    body: Record<string, unknown>,
    fields: InvalidField[],
    context: RouteContext,
  ) => Item | Response;
  /** What the 201 answer carries besides the new record, e.g. `{ actions: [] }`. */
  created?: Record<string, unknown>;
  /** Serves `DELETE {path}/{id}`; an answer it returns refuses the delete. */
  remove?: (item: Item) => Response | undefined;
}

/** Hetzner's 409 `uniqueness_error` when a `noun` named `name` exists already, else `undefined`. */
export function nameTaken(
  records: Map<number, LabelledRecord>,
  noun: string,
  name: string,
): Response | undefined {
  return [...records.values()].some((record) => record.name === name)
    ? hetznerError("uniqueness_error", `${noun} with the same name already exists`, {
        fields: [{ name: "name" }],
      })
    : undefined;
}

/**
 * `GET {path}` (by name, label selector and `filter`, sorted by id), `GET {path}/{id}` and, with
 * `create` and `remove`, `POST {path}` and `DELETE {path}/{id}`; `find` answers 404 for an unknown id, as Hetzner does.
 */
export function createResourceRoutes<Item extends LabelledRecord>(
  options: ResourceRoutesOptions<Item>,
) {
  const { records, noun } = options;
  const find = (id: string | undefined): Item | Response =>
    records.get(parseId(id) ?? 0) ?? notFound(noun, id);
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
  const { create, remove } = options;
  if (create) {
    routes.push({
      method: "POST",
      template: options.path,
      handler: async (context) => {
        const body = await readJsonBody(context.request);
        if (body instanceof Response) return body;
        const item = create(body, [], context);
        if (item instanceof Response) return item;
        records.set(item.id, item);
        return jsonResponse({ [options.itemKey]: options.toJson(item), ...options.created }, 201);
      },
    });
  }
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
  return { find, routes };
}
