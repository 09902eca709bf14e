import { type ClientContext, definedEntries, signalOf } from "./client-context";
import type { HetznerClient, ImageType } from "./client-types";
import { assertOneOf, assertText } from "./input-checks";
import { collectPages } from "./paginate";

const ARCHITECTURES = ["x86", "arm"] as const;
const IMAGE_TYPES: readonly ImageType[] = ["system", "app", "snapshot", "backup"];

/** What a client can list of Hetzner's catalog: server types, locations and images. */
export function catalogHelpers(
  context: ClientContext,
): Pick<HetznerClient, "listServerTypes" | "listLocations" | "listImages"> {
  return {
    listServerTypes: (options = {}) => collectPages(context, "/server_types", signalOf(options)),
    listLocations: (options = {}) => collectPages(context, "/locations", signalOf(options)),
    async listImages(options = {}) {
      if (options.name !== undefined) assertText(options.name, "name");
      if (options.architecture !== undefined) {
        assertOneOf(options.architecture, ARCHITECTURES, "architecture");
      }
      const types =
        options.type === undefined
          ? undefined
          : typeof options.type === "string"
            ? [options.type]
            : [...options.type];
      types?.forEach((type, index) => {
        assertOneOf(
          type,
          IMAGE_TYPES,
          typeof options.type === "string" ? "type" : `type[${index}]`,
        );
      });
      const query = definedEntries({
        name: options.name,
        architecture: options.architecture,
        type: types,
      });
      return collectPages(context, "/images", { params: { query }, ...signalOf(options) });
    },
  };
}
