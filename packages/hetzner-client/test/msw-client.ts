import { counted, createVirtualClock } from "@tailvm/internal/test";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createHetznerClient } from "../src/client";
import type { HetznerClientOptions } from "../src/client-types";
import type { RetryEvent } from "../src/retry-options";
import { BASE_URL, pagination, TOKEN } from "./fixtures";

type Resolver = Parameters<typeof http.get>[1];
type Method = "get" | "post" | "delete";
type CountedAnswer = (
  call: number,
  info: Parameters<Resolver>[0],
) => Response | undefined | Promise<Response>;

/**
 * Starts MSW for the calling test file: unhandled requests fail the test, and handlers added
 * inside a test are reset after it. `get`, `post` and `delete` answer one path below the API's
 * base URL; `pages` answers a list page by page up to `lastPage` and returns the queries it saw;
 * `counted` passes its answer the number of the call (1 for the first) and the resolver's
 * argument, and counts the calls; `use` takes whole handlers. A resolver that answers `undefined`
 * leaves the request unhandled, which fails the test.
 */
export function useHetznerApi() {
  const mock = setupServer();
  beforeAll(() => mock.listen({ onUnhandledFrame: "error" }));
  afterEach(() => mock.resetHandlers());
  afterAll(() => mock.close());
  const route = (method: Method) => (path: string, resolver: Resolver) =>
    mock.use(http[method](`${BASE_URL}${path}`, resolver));
  const countedRoute = (method: Method, path: string, answer: CountedAnswer) => {
    const resolver = counted(answer);
    route(method)(path, resolver);
    return resolver;
  };
  const pages = (path: string, lastPage: number, body: (page: number) => object) => {
    const queries: URLSearchParams[] = [];
    mock.use(
      http.get(`${BASE_URL}${path}`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        const page = Number(query.get("page"));
        return HttpResponse.json({ ...body(page), meta: pagination(page, lastPage) });
      }),
    );
    return queries;
  };
  return {
    use: mock.use.bind(mock),
    pages,
    counted: countedRoute,
    get: route("get"),
    post: route("post"),
    delete: route("delete"),
  };
}

/** A client on a virtual clock with jitter off, recording its retry events. */
export function makeClient(overrides: Partial<HetznerClientOptions> = {}) {
  const clock = createVirtualClock();
  const retries: RetryEvent[] = [];
  const client = createHetznerClient({
    token: TOKEN,
    clock,
    retry: { random: () => 0 },
    onRetry: (event) => retries.push(event),
    ...overrides,
  });
  return { client, clock, retries };
}
