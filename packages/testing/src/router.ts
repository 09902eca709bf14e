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
 * Finds the route for `method` and `path` (relative to the API base). Returns `"method-not-allowed"`
 * when the path exists under another method.
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
): RouteMatch | "method-not-allowed" | undefined {
  const segments = path.split("/").filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
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
    if (!matches) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method-not-allowed" : undefined;
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
