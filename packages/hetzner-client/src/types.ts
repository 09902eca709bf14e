import type { JsonBody } from "@tailvm/internal";
import type { operations } from "./generated/hetzner";

type JsonResponse<
  Operation extends keyof operations,
  Status extends keyof operations[Operation]["responses"],
> = JsonBody<operations[Operation]["responses"][Status]>;

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
 * A server type (for example `cpx22`): its size (`cores`, `memory`, `disk`), `architecture`,
 * `cpu_type`, per-location `prices`, its `deprecation` (if any) and its per-location availability
 * and deprecation in `locations[]`.
 *
 * @example
 * ```ts
 * import type { ServerType } from "@tailvm/hetzner-client";
 *
 * const availableIn = (type: ServerType) =>
 *   type.locations.filter((location) => location.available).map((location) => location.name);
 * const monthlyIn = (type: ServerType, location: string) =>
 *   type.prices.find((price) => price.location === location)?.price_monthly.gross;
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
 * An image (for example the system image `ubuntu-24.04`, or a snapshot).
 *
 * @example
 * ```ts
 * import type { Image } from "@tailvm/hetzner-client";
 *
 * const usable = (image: Image) => image.status === "available" && image.deprecated === null;
 * ```
 */
export type Image = JsonResponse<"list_images", 200>["images"][number];

/**
 * A firewall with its rules and the servers or label selectors it applies to.
 *
 * @example
 * ```ts
 * import type { Firewall } from "@tailvm/hetzner-client";
 *
 * const allowsSsh = (firewall: Firewall) => firewall.rules.some((rule) => rule.port === "22");
 * ```
 */
export type Firewall = JsonResponse<"list_firewalls", 200>["firewalls"][number];

/**
 * A private network with its IP range, subnets, routes and the servers attached to it.
 *
 * @example
 * ```ts
 * import type { Network } from "@tailvm/hetzner-client";
 *
 * const attached = (network: Network, serverId: number) => network.servers.includes(serverId);
 * ```
 */
export type Network = NonNullable<JsonResponse<"get_network", 200>["network"]>;

/**
 * The JSON body of `POST /firewalls`: `name` is required; `rules`, `labels` and `apply_to` are not.
 *
 * @example
 * ```ts
 * import type { CreateFirewallBody } from "@tailvm/hetzner-client";
 *
 * const body: CreateFirewallBody = {
 *   name: "runners",
 *   rules: [{ direction: "in", protocol: "udp", port: "41641", source_ips: ["0.0.0.0/0", "::/0"] }],
 *   apply_to: [{ type: "label_selector", label_selector: { selector: "role=runner" } }],
 * };
 * ```
 */
export type CreateFirewallBody =
  operations["create_firewall"]["requestBody"]["content"]["application/json"];

type GeneratedCreateServerBody =
  operations["create_server"]["requestBody"]["content"]["application/json"];

/**
 * The JSON body of `POST /servers`: `name`, `server_type` and `image` are required.
 * `server_type`, `image` and `location` each take an ID (a number) or a name, as the API does.
 *
 * @example
 * ```ts
 * import type { CreateServerBody } from "@tailvm/hetzner-client";
 *
 * const body: CreateServerBody = { name: "runner-1", server_type: "cpx22", image: "ubuntu-24.04" };
 * const byId: CreateServerBody = { name: "runner-2", server_type: 114, image: 161547269, location: 1 };
 * ```
 */
export type CreateServerBody = Omit<
  GeneratedCreateServerBody,
  "server_type" | "image" | "location"
> & {
  /** ID or name of the server type, e.g. `"cpx22"`. */
  server_type: string | number;
  /** ID or name of the image, e.g. `"ubuntu-24.04"` or a snapshot's ID. */
  image: string | number;
  /** ID or name of the location, e.g. `"nbg1"`; Hetzner picks one when it is left out. */
  location?: string | number | undefined;
};

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
