/** What a route handler receives. */
export interface RouteContext {
  request: Request;
  params: Record<string, string>;
  query: URLSearchParams;
  now: number;
}

export type RouteHandler = (context: RouteContext) => Response | Promise<Response>;

export interface Route {
  method: string;
  /** Path template relative to the API base, e.g. `/servers/{id}`. */
  template: string;
  handler: RouteHandler;
}

/** The route matched for a request, with its path parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * Finds the route for `method` and `path` (relative to the API base), or `undefined`.
 *
 * @example
 * ```ts
 * matchRoute(routes, "GET", "/servers/42"); // { route, params: { id: "42" } }
 * ```
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): RouteMatch | undefined {
  const segments = path.split("/").filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const templateSegments = route.template.split("/").filter(Boolean);
    if (templateSegments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = templateSegments.every((templateSegment, index) => {
      const segment = segments[index] ?? "";
      if (templateSegment.startsWith("{") && templateSegment.endsWith("}")) {
        params[templateSegment.slice(1, -1)] = decodeURIComponent(segment);
        return true;
      }
      return templateSegment === segment;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/**
 * A JSON response.
 *
 * @example
 * ```ts
 * return jsonResponse({ server }, 201);
 * ```
 */
export function jsonResponse(
  body: unknown,
  status = 200,
  headers?: Record<string, string>,
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}
