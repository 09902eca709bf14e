import { describe, expect, it } from "vitest";
import * as publicApi from "./index.js";

describe("the public surface", () => {
  it("exports exactly the runtime values meant for users", () => {
    expect(Object.keys(publicApi).sort()).toEqual([
      "DEFAULT_TAILSCALE_BASE_URL",
      "TailscaleApiError",
      "TailscaleError",
      "TailscaleInputError",
      "TailscaleNetworkError",
      "TailscaleTimeoutError",
      "createTailscaleClient",
      "isTailscaleApiError",
      "systemClock",
    ]);
  });
});
