import { findLocation, findServerType } from "./catalog.js";
import { IMAGES } from "./catalog-images.js";
import { LOCATIONS } from "./catalog-locations.js";
import { isPast, SERVER_TYPES } from "./catalog-server-types.js";
import { hetznerError, notFound } from "./hetzner-errors.js";
import { parseId } from "./hetzner-input.js";
import { imageJson, type Json, locationJson, serverTypeJson } from "./hetzner-json.js";
import { listResponse } from "./hetzner-list.js";
import { jsonResponse, type Route, type RouteHandler } from "./router.js";
import type { World } from "./world.js";

// Deprecated on 2026-06-01 and removed on 2026-10-01, as Hetzner's changelog announced.
const removed: RouteHandler = () =>
  hetznerError("deprecated_api_endpoint", "API functionality was removed", {
    announcement: "https://docs.hetzner.cloud/changelog#2026-04-01-datacenter-deprecations",
  });

/**
 * The catalog: `GET /server_types[/{id}]`, `GET /locations[/{id}]`, `GET /images[/{id}]`, and
 * `GET /datacenters[/{id}]`, which answers 410 as Hetzner has since removing it.
 *
 * @example
 * ```ts
 * const routes = createCatalogRoutes(world);
 * ```
 */
export function createCatalogRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      template: "/server_types",
      handler: (context) => {
        const name = context.query.get("name");
        // A type past its `unavailable_after` is no longer returned by the list endpoint.
        const types = SERVER_TYPES.filter(
          (type) => !isPast(type.deprecation, context.now) && (name === null || type.name === name),
        );
        return listResponse(context, {
          key: "server_types",
          items: [...types].sort((a, b) => a.id - b.id),
          toJson: (type) => serverTypeJson(world, type, context.now),
          // Not in the API document, yet `hcloud` sends `sort=id:asc` and Hetzner honours it.
          sort: ["id", "name"],
        });
      },
    },
    {
      method: "GET",
      template: "/server_types/{id}",
      handler: ({ params, now }) => {
        const id = parseId(params.id);
        const type = id === undefined ? undefined : findServerType({ id });
        if (!type) return notFound("server type", params.id);
        return jsonResponse({ server_type: serverTypeJson(world, type, now) } satisfies Json<
          "get_server_type",
          200
        >);
      },
    },
    {
      method: "GET",
      template: "/locations",
      handler: (context) => {
        const name = context.query.get("name");
        return listResponse(context, {
          key: "locations",
          items: LOCATIONS.filter((location) => name === null || location.name === name),
          toJson: locationJson,
          sort: ["id", "name"],
        });
      },
    },
    {
      method: "GET",
      template: "/locations/{id}",
      handler: ({ params }) => {
        const id = parseId(params.id);
        const location = id === undefined ? undefined : findLocation({ id });
        if (!location) return notFound("location", params.id);
        return jsonResponse({ location: locationJson(location) } satisfies Json<
          "get_location",
          200
        >);
      },
    },
    {
      method: "GET",
      template: "/images",
      handler: (context) => {
        const { query } = context;
        const name = query.get("name");
        const architecture = query.get("architecture");
        const types = query.getAll("type");
        const statuses = query.getAll("status");
        const withDeprecated = query.get("include_deprecated") === "true";
        // Every simulated image is a system image: none is a backup bound to a server.
        const boundTo = query.getAll("bound_to");
        const images = IMAGES.filter(
          (image) =>
            boundTo.length === 0 &&
            (name === null || image.name === name) &&
            (architecture === null || image.architecture === architecture) &&
            (types.length === 0 || types.includes("system")) &&
            (statuses.length === 0 || statuses.includes("available")) &&
            (withDeprecated || image.deprecated === null),
        );
        return listResponse(context, {
          key: "images",
          items: [...images],
          toJson: imageJson,
          labels: () => ({}),
          sort: ["id", "name", "created"],
        });
      },
    },
    {
      method: "GET",
      template: "/images/{id}",
      handler: ({ params }) => {
        const id = parseId(params.id);
        const image = IMAGES.find((candidate) => candidate.id === id);
        if (!image) return notFound("image", params.id);
        return jsonResponse({ image: imageJson(image) } satisfies Json<"get_image", 200>);
      },
    },
    { method: "GET", template: "/datacenters", handler: removed },
    { method: "GET", template: "/datacenters/{id}", handler: removed },
  ];
}
