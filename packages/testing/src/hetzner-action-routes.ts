import { invalidInput, notFound } from "./hetzner-errors.js";
import { parseId } from "./hetzner-input.js";
import { actionJson, type Json } from "./hetzner-json.js";
import { jsonResponse, type Route } from "./router.js";
import type { World } from "./world.js";

type HetznerAction = Json<"get_action", 200>["action"];

/**
 * `GET /actions?id=&id=` and `GET /actions/{id}`.
 *
 * @example
 * ```ts
 * const routes = createActionRoutes(world);
 * ```
 */
export function createActionRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      template: "/actions",
      handler: ({ query, now }) => {
        const ids = query.getAll("id");
        if (ids.length === 0) {
          return invalidInput([{ name: "id", messages: ["at least one action ID is required"] }]);
        }
        const actions: HetznerAction[] = [];
        for (const raw of ids) {
          const id = parseId(raw);
          if (id === undefined) {
            return invalidInput([{ name: "id", messages: [`'${raw}' is not an ID`] }]);
          }
          const action = world.actions.get(id);
          if (action) actions.push(actionJson(world, action, now));
        }
        return jsonResponse({ actions } satisfies Json<"get_actions", 200>);
      },
    },
    {
      method: "GET",
      template: "/actions/{id}",
      handler: ({ params, now }) => {
        const action = world.actions.get(parseId(params.id) ?? 0);
        if (!action) return notFound("action", params.id);
        return jsonResponse({ action: actionJson(world, action, now) } satisfies Json<
          "get_action",
          200
        >);
      },
    },
  ];
}
