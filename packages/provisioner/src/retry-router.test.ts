import { describe, expect, it } from "vitest";
import { createResourceClaims, createRetryRouter } from "./retry-router.js";
import type { ClientRetryEvent } from "./scope-clients.js";

const retry = (api: ClientRetryEvent["api"], path: string): ClientRetryEvent => ({
  api,
  path,
  method: "DELETE",
  attempt: 1,
  delayMs: 1_000,
  reason: "rate limited",
});

function listener() {
  const claims = createResourceClaims();
  const heard: string[] = [];
  return {
    claims,
    heard,
    listener: {
      claims: claims.claims,
      onRetry: (event: ClientRetryEvent) => heard.push(event.path),
    },
  };
}

describe("createRetryRouter", () => {
  it("sends a retry to the operation whose resource its path names", () => {
    const unattributed: string[] = [];
    const router = createRetryRouter((event) => unattributed.push(event.path));
    const a = listener();
    const b = listener();
    router.listen(a.listener);
    router.listen(b.listener);
    a.claims.add("hetzner", "servers", 42);
    b.claims.add("tailscale", "keys", "kB1");
    b.claims.add("tailscale", "device", "n/B");
    router.route(retry("hetzner", "/servers/42"));
    router.route(retry("hetzner", "/servers/42/actions/poweron"));
    router.route(retry("tailscale", "/tailnet/-/keys/kB1"));
    router.route(retry("tailscale", `/device/${encodeURIComponent("n/B")}`));
    // An id of one API does not claim a path of the other, nor a longer id.
    router.route(retry("tailscale", "/servers/42"));
    router.route(retry("hetzner", "/servers/420"));
    expect(a.heard).toEqual(["/servers/42", "/servers/42/actions/poweron"]);
    expect(b.heard).toEqual(["/tailnet/-/keys/kB1", "/device/n%2FB"]);
    expect(unattributed).toEqual(["/servers/42", "/servers/420"]);
  });

  it("sends a retry nobody claims to the only operation in flight, else to the scope", () => {
    const unattributed: string[] = [];
    const router = createRetryRouter((event) => unattributed.push(event.path));
    const a = listener();
    const b = listener();
    const stopA = router.listen(a.listener);
    router.route(retry("hetzner", "/server_types"));
    const stopB = router.listen(b.listener);
    router.route(retry("hetzner", "/server_types"));
    stopA();
    router.route(retry("tailscale", "/oauth/token"));
    stopB();
    router.route(retry("tailscale", "/oauth/token"));
    expect(a.heard).toEqual(["/server_types"]);
    expect(b.heard).toEqual(["/oauth/token"]);
    expect(unattributed).toEqual(["/server_types", "/oauth/token"]);
  });
});
