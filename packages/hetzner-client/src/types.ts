import type { operations } from "./generated/hetzner";

type JsonResponse<
  Operation extends keyof operations,
  Status extends keyof operations[Operation]["responses"],
> = operations[Operation]["responses"][Status] extends {
  content: { "application/json": infer Body };
}
  ? Body
  : never;

/**
 * A Hetzner Cloud server, as `GET /servers/{id}` returns it.
 *
 * @example
 * ```ts
 * import type { Server } from "@tailvm/hetzner-client";
 *
 * const ipv4 = (server: Server) => server.public_net.ipv4?.ip ?? null;
 * ```
 */
export type Server = NonNullable<JsonResponse<"get_server", 200>["server"]>;

/**
 * A Hetzner Cloud action: an asynchronous task such as `create_server`, with `status`
 * `"running"`, `"success"` or `"error"`.
 *
 * @example
 * ```ts
 * import type { Action } from "@tailvm/hetzner-client";
 *
 * const done = (action: Action) => action.status !== "running";
 * ```
 */
export type Action = JsonResponse<"get_action", 200>["action"];

/**
 * A server type (for example `cx23`) with its per-location availability in `locations[]`.
 *
 * @example
 * ```ts
 * import type { ServerType } from "@tailvm/hetzner-client";
 *
 * const availableIn = (type: ServerType) =>
 *   type.locations.filter((location) => location.available).map((location) => location.name);
 * ```
 */
export type ServerType = JsonResponse<"list_server_types", 200>["server_types"][number];

/**
 * A Hetzner Cloud location (for example `nbg1`).
 *
 * @example
 * ```ts
 * import type { Location } from "@tailvm/hetzner-client";
 *
 * const inEurope = (location: Location) => location.network_zone === "eu-central";
 * ```
 */
export type Location = JsonResponse<"list_locations", 200>["locations"][number];

/**
 * The JSON body of `POST /servers`: `name`, `server_type` and `image` are required.
 *
 * @example
 * ```ts
 * import type { CreateServerBody } from "@tailvm/hetzner-client";
 *
 * const body: CreateServerBody = { name: "runner-1", server_type: "cx23", image: "ubuntu-24.04" };
 * ```
 */
export type CreateServerBody =
  operations["create_server"]["requestBody"]["content"]["application/json"];

/**
 * The error body Hetzner returns with every 4xx and 5xx response.
 *
 * @example
 * ```ts
 * import type { HetznerErrorBody } from "@tailvm/hetzner-client";
 *
 * const code = (body: HetznerErrorBody) => body.error.code;
 * ```
 */
export type HetznerErrorBody = JsonResponse<"get_server", "4XX">;
