import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { BASE_URL, createFakeTailscaleApi } from "./fake-tailscale-api.js";

type Resolver = Parameters<typeof http.get>[1];

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
}

/**
 * Starts MSW for the calling test file (unhandled requests fail the test) with a fresh fake
 * Tailscale API before each test. `get`, `post` and `delete` put one path below the API's base
 * URL in front of the fake API for the rest of the test.
 */
export function useMockTailscale() {
  const server = setupServer();
  const requests: RecordedRequest[] = [];
  const route = (method: "get" | "post" | "delete") => (path: string, resolver: Resolver) =>
    server.use(http[method](`${BASE_URL}${path}`, resolver));
  const context = {
    server,
    requests,
    api: createFakeTailscaleApi(),
    get: route("get"),
    post: route("post"),
    delete: route("delete"),
  };

  server.events.on("request:start", ({ request }) => {
    requests.push({
      method: request.method,
      path: new URL(request.url).pathname.replace(/^\/api\/v2/, ""),
      authorization: request.headers.get("authorization"),
    });
  });
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  beforeEach(() => {
    context.api = createFakeTailscaleApi();
    requests.length = 0;
    server.resetHandlers(...context.api.handlers);
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return context;
}
