/** The list, get, create and delete routes every labelled Hetzner resource shares. */
import { hetznerError, type InvalidField, notFound } from "./hetzner-errors.js";
import { labelsOf, parseId, readJsonBody } from "./hetzner-input.js";
import { type ListOptions, listResponse } from "./hetzner-list.js";
import { jsonResponse, type Route } from "./router.js";

interface LabelledRecord {
  id: number;
  name: string;
  labels: Record<string, string>;
  created: number;
}

/** A new record's own fields: the routes give it its id, name, labels and creation time. */
export type OwnFields<Item extends LabelledRecord> = Omit<Item, keyof LabelledRecord>;

/** How `POST {path}` makes a record. */
export interface CreateOptions<Item extends LabelledRecord> {
  /**
   * Given the request's JSON object and an empty list to add invalid fields to, returns the new
   * record's own fields or a refusal. A body that is not a JSON object is refused before it is
   * called; a name in use (Hetzner's 409 `uniqueness_error`) after it.
   */
  read: (body: Record<string, unknown>, fields: InvalidField[]) => OwnFields<Item> | Response;
  /** Another uniqueness a new record must keep, checked after its name's. */
  conflict?: (fields: OwnFields<Item>) => Response | undefined;
  /** The id of the next record, taken only once the create is accepted. */
  nextId: () => number;
  /** What the 201 answer carries besides the new record, e.g. `{ actions: [] }`. */
  answer?: Record<string, unknown>;
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
  /** Serves `POST {path}`, the new record named by the body's `name` and labelled by its `labels`. */
  create?: CreateOptions<Item>;
  /** Serves `DELETE {path}/{id}`; an answer it returns refuses the delete. */
  remove?: (item: Item) => Response | undefined;
}

/** Hetzner's 409 `uniqueness_error` when a `noun` named `name` exists already, else `undefined`. */
function nameTaken(
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
        const own = create.read(body, []);
        if (own instanceof Response) return own;
        const name = String(body.name);
        const refused = nameTaken(records, noun, name) ?? create.conflict?.(own);
        if (refused) return refused;
        const common = { id: create.nextId(), name, labels: labelsOf(body), created: context.now };
        const item = { ...common, ...own } as Item;
        records.set(item.id, item);
        return jsonResponse({ [options.itemKey]: options.toJson(item), ...create.answer }, 201);
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
