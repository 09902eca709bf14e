import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createFakeTailscaleApi, type FakeTailscaleApi } from "./fake-tailscale-api.js";

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
}

/**
 * Starts MSW for the calling test file (unhandled requests fail the test) with a fresh fake
 * Tailscale API before each test.
 */
export function useMockTailscale() {
  const server = setupServer();
  const requests: RecordedRequest[] = [];
  const context = {
    server,
    requests,
    api: createFakeTailscaleApi(),
  } as { server: typeof server; requests: RecordedRequest[]; api: FakeTailscaleApi };

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
