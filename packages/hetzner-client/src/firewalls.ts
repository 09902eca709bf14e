import { type ClientContext, definedEntries, signalOf } from "./client-context";
import type { HetznerClient } from "./client-types";
import { HetznerError, HetznerInputError, isHetznerApiError } from "./errors";
import { assertId, assertLabels, assertText } from "./input-checks";
import { collectPages } from "./paginate";

/** The firewall helpers of a client: thin calls through the generated types. */
export function firewallHelpers(
  context: ClientContext,
): Pick<HetznerClient, "listFirewalls" | "createFirewall" | "deleteFirewall"> {
  const { api, unwrap } = context;
  return {
    async listFirewalls(options = {}) {
      if (options.name !== undefined) assertText(options.name, "name");
      if (options.labelSelector !== undefined) assertText(options.labelSelector, "labelSelector");
      const query = definedEntries({ name: options.name, label_selector: options.labelSelector });
      return collectPages(context, "/firewalls", { params: { query }, ...signalOf(options) });
    },
    async createFirewall(body, options = {}) {
      if (typeof body !== "object" || body === null) {
        throw new HetznerInputError("body", "expected an object with at least a name");
      }
      assertText(body.name, "body.name");
      assertLabels(body.labels, "body.labels");
      if (body.rules !== undefined && !Array.isArray(body.rules)) {
        throw new HetznerInputError("body.rules", "expected a list of firewall rules");
      }
      if (body.apply_to !== undefined && !Array.isArray(body.apply_to)) {
        throw new HetznerInputError("body.apply_to", "expected a list of resources to apply to");
      }
      const data = unwrap(await api.POST("/firewalls", { body, ...signalOf(options) }));
      if (data.firewall === undefined) {
        throw new HetznerError(
          "Hetzner answered POST /firewalls without a firewall; check that baseUrl points at the Hetzner Cloud API.",
        );
      }
      return { firewall: data.firewall, actions: data.actions ?? [] };
    },
    async deleteFirewall(id, options = {}) {
      assertId(id, "id");
      try {
        unwrap(
          await api.DELETE("/firewalls/{id}", { params: { path: { id } }, ...signalOf(options) }),
        );
        return { deleted: true };
      } catch (error) {
        if (isHetznerApiError(error, "not_found")) return { deleted: false };
        throw error;
      }
    },
  };
}
