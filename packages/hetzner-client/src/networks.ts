import { type ClientContext, signalOf } from "./client-context";
import type { HetznerClient } from "./client-types";
import { HetznerApiError } from "./errors";
import { assertId } from "./input-checks";

/** The network helpers of a client. */
export function networkHelpers(context: ClientContext): Pick<HetznerClient, "getNetwork"> {
  const { api, unwrap } = context;
  return {
    async getNetwork(id, options = {}) {
      assertId(id, "id");
      const data = unwrap(
        await api.GET("/networks/{id}", { params: { path: { id } }, ...signalOf(options) }),
      );
      if (data.network === undefined) {
        throw new HetznerApiError({
          status: 404,
          code: "not_found",
          apiMessage: `network ${id} not found`,
          method: "GET",
          path: `/networks/${id}`,
        });
      }
      return data.network;
    },
  };
}
