import { type ClientContext, foundItem, signalOf } from "./client-context";
import type { HetznerClient } from "./client-types";
import { HetznerError, HetznerInputError, isHetznerApiError } from "./errors";
import type { paths } from "./generated/hetzner";
import { assertId, assertIdOrName, assertLabels, assertText, isHostname } from "./input-checks";
import { collectPages } from "./paginate";
import type { CreateServerBody } from "./types";

type GeneratedBody = paths["/servers"]["post"]["requestBody"]["content"]["application/json"];

/** The server helpers of a client. */
export function serverHelpers(
  context: ClientContext,
): Pick<
  HetznerClient,
  "createServer" | "getServer" | "findServer" | "listServers" | "deleteServer"
> {
  const { api, unwrap } = context;

  const getServer: HetznerClient["getServer"] = async (id, options = {}) => {
    assertId(id, "id");
    const data = unwrap(
      await api.GET("/servers/{id}", { params: { path: { id } }, ...signalOf(options) }),
    );
    return foundItem(data.server, "server", id);
  };

  return {
    async createServer(body, options = {}) {
      validateCreateServerBody(body);
      // The document types these three as names; it accepts IDs too, sent as numbers.
      const sent = body as unknown as GeneratedBody;
      const data = unwrap(await api.POST("/servers", { body: sent, ...signalOf(options) }));
      return {
        server: data.server,
        action: data.action,
        nextActions: data.next_actions,
        rootPassword: data.root_password,
      };
    },
    getServer,
    async findServer(id, options) {
      try {
        return await getServer(id, options);
      } catch (error) {
        if (isHetznerApiError(error, "not_found")) return undefined;
        throw error;
      }
    },
    async listServers(options = {}) {
      const query: { label_selector?: string; name?: string } = {};
      if (options.labelSelector !== undefined) {
        assertText(options.labelSelector, "labelSelector");
        query.label_selector = options.labelSelector;
      }
      if (options.name !== undefined) {
        assertText(options.name, "name");
        query.name = options.name;
      }
      return collectPages(context, "/servers", { params: { query }, ...signalOf(options) });
    },
    async deleteServer(id, options = {}) {
      assertId(id, "id");
      try {
        const data = unwrap(
          await api.DELETE("/servers/{id}", { params: { path: { id } }, ...signalOf(options) }),
        );
        if (data.action === undefined) {
          throw new HetznerError(
            `Hetzner answered DELETE /servers/${id} without an action; check that baseUrl points at the Hetzner Cloud API.`,
          );
        }
        return { deleted: true, action: data.action };
      } catch (error) {
        if (isHetznerApiError(error, "not_found")) return { deleted: false };
        throw error;
      }
    },
  };
}

function validateCreateServerBody(body: CreateServerBody): void {
  if (typeof body !== "object" || body === null) {
    throw new HetznerInputError("body", "expected an object with name, server_type and image");
  }
  if (typeof body.name !== "string" || !isHostname(body.name)) {
    throw new HetznerInputError(
      "body.name",
      "expected an RFC 1123 hostname: dot-separated labels of 1-63 letters, digits and inner hyphens (e.g. runner-1)",
    );
  }
  assertIdOrName(body.server_type, "body.server_type", "server type (e.g. cpx22)");
  assertIdOrName(body.image, "body.image", "image (e.g. ubuntu-24.04)");
  if (body.location !== undefined) {
    assertIdOrName(body.location, "body.location", "location (e.g. nbg1)");
  }
  assertLabels(body.labels, "body.labels");
}
