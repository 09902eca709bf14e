import { describe, expect, it } from "vitest";
import * as publicApi from "./index";

describe("the public surface", () => {
  it("exports exactly the runtime values meant for users", () => {
    expect(Object.keys(publicApi).sort()).toEqual([
      "DEFAULT_BASE_URL",
      "HetznerActionError",
      "HetznerApiError",
      "HetznerError",
      "HetznerInputError",
      "HetznerNetworkError",
      "HetznerTimeoutError",
      "createHetznerClient",
      "isHetznerApiError",
      "systemClock",
    ]);
  });
});
