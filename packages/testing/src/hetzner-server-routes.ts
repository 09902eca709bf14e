import { LOCATIONS } from "./catalog-locations.js";
import { isPast } from "./catalog-server-types.js";
import { hetznerError, notFound } from "./hetzner-errors.js";
import { parseId, readJsonBody } from "./hetzner-input.js";
import { actionJson, isOrderable, type Json, serverJson } from "./hetzner-json.js";
import { listResponse } from "./hetzner-list.js";
import { exposureOf } from "./public-exposure.js";
import { jsonResponse, type Route, type RouteContext } from "./router.js";
import { readServerCreateInput } from "./server-create-input.js";
import type { ServerRecord, World } from "./world.js";

/**
 * `POST`/`GET /servers` and `GET`/`DELETE /servers/{id}`.
 *
 * @example
 * ```ts
 * const routes = createServerRoutes(world);
 * ```
 */
export function createServerRoutes(world: World): Route[] {
  const { timings } = world.config;

  const createServer = async ({ request, now }: RouteContext): Promise<Response> => {
    const body = await readJsonBody(request);
    if (body instanceof Response) return body;
    const input = readServerCreateInput(world, body);
    if (input instanceof Response) return input;
    const { serverType, name } = input;

    // Hetzner's answer for a type that is not offered (or no longer) where it is asked for.
    const unsupported = () =>
      hetznerError("invalid_input", "unsupported location for server type", {});
    if (isPast(serverType.deprecation, now) || isPast(serverType.locationDeprecation, now)) {
      return unsupported();
    }
    if (input.location && !serverType.locations.includes(input.location.name)) {
      return unsupported();
    }
    const location =
      input.location ??
      LOCATIONS.find((candidate) => isOrderable(world, serverType, candidate.name, now));
    if (!location || !isOrderable(world, serverType, location.name, now)) {
      return hetznerError("resource_unavailable", "error during placement");
    }
    if ([...world.servers.values()].some((server) => server.name === name)) {
      return hetznerError("uniqueness_error", "server name is already used", {
        fields: [{ name: "name" }],
      });
    }

    const id = world.nextServerId();
    const neverRuns = world.faults.serverNeverRuns.some(
      (fault) => fault.name === undefined || fault.name === name,
    );
    const resources = [{ id, type: "server" }];
    const createAction = world.createAction("create_server", resources, timings.createActionMs);
    const bootDuration = Math.max(timings.bootMs, timings.createActionMs);
    const startAction = !input.startAfterCreate
      ? undefined
      : createAction.error
        ? world.createAction("start_server", resources, timings.createActionMs)
        : world.createAction("start_server", resources, neverRuns ? null : bootDuration);
    if (startAction && createAction.error && !startAction.error) {
      startAction.error = { code: createAction.error.code, message: "server could not be started" };
    }
    const failed = createAction.error !== null || (startAction?.error ?? null) !== null;
    const addresses = world.assignAddresses();
    const server: ServerRecord = {
      id,
      name,
      labels: input.labels,
      serverType,
      location,
      image: input.image,
      userData: input.userData,
      sshKeys: input.sshKeys,
      created: now,
      runningAt: failed || neverRuns || !startAction ? null : now + bootDuration,
      offAt: failed
        ? (startAction?.finishesAt ?? createAction.finishesAt ?? now)
        : startAction
          ? null
          : (createAction.finishesAt ?? now),
      booted: false,
      bootProblem: null,
      ipv4: input.enableIpv4 ? addresses.ipv4 : null,
      ipv6: input.enableIpv6 ? addresses.ipv6 : null,
      firewallIds: input.firewallIds,
      networkIds: input.networkIds,
    };
    world.servers.set(id, server);
    world.exposure.set(id, [exposureOf(world, server, now)]);
    return jsonResponse(
      {
        server: serverJson(world, server, now),
        action: actionJson(world, createAction, now),
        next_actions: startAction ? [actionJson(world, startAction, now)] : [],
        root_password: input.sshKeys.length > 0 ? null : `sim-${id.toString(36)}-root`,
      } satisfies Json<"create_server", 201>,
      201,
    );
  };

  const findServer = (params: Record<string, string>): ServerRecord | Response => {
    const server = world.servers.get(parseId(params.id) ?? 0);
    return server ?? notFound("server", params.id);
  };

  return [
    { method: "POST", template: "/servers", handler: createServer },
    {
      method: "GET",
      template: "/servers",
      handler: (context) => {
        const { query, now } = context;
        const name = query.get("name");
        const statuses = query.getAll("status");
        const servers = [...world.servers.values()]
          .sort((a, b) => a.id - b.id)
          .filter((server) => name === null || server.name === name)
          .filter(
            (server) => statuses.length === 0 || statuses.includes(world.serverStatus(server, now)),
          );
        return listResponse(context, {
          key: "servers",
          items: servers,
          toJson: (server) => serverJson(world, server, now),
          labels: (server) => server.labels,
          sort: ["id", "name", "created"],
        });
      },
    },
    {
      method: "GET",
      template: "/servers/{id}",
      handler: ({ params, now }) => {
        const server = findServer(params);
        if (server instanceof Response) return server;
        return jsonResponse({ server: serverJson(world, server, now) } satisfies Json<
          "get_server",
          200
        >);
      },
    },
    {
      method: "DELETE",
      template: "/servers/{id}",
      handler: ({ params, now }) => {
        const server = findServer(params);
        if (server instanceof Response) return server;
        const action = world.deleteServer(server, now);
        return jsonResponse({ action: actionJson(world, action, now) } satisfies Json<
          "delete_server",
          200
        >);
      },
    },
  ];
}
