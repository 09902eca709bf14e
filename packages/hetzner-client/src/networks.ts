import { type ClientContext, foundItem, signalOf } from "./client-context";
import type { HetznerClient } from "./client-types";
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
      return foundItem(data.network, "network", id);
    },
  };
}
