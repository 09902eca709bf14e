import { hetznerError, invalidInput } from "./hetzner-errors.js";
import { validateLabels } from "./hetzner-input.js";
import { sshKeyJson } from "./hetzner-json.js";
import { createResourceRoutes } from "./hetzner-resource-routes.js";
import type { Route } from "./router.js";
import { parseSshPublicKey } from "./ssh-public-key.js";
import type { World } from "./world.js";

/**
 * `GET`/`POST /ssh_keys` and `GET`/`DELETE /ssh_keys/{id}`: names and fingerprints are unique, as
 * in Hetzner.
 *
 * @example
 * ```ts
 * const routes = createSshKeyRoutes(world);
 * ```
 */
export function createSshKeyRoutes(world: World): Route[] {
  const { routes } = createResourceRoutes({
    path: "/ssh_keys",
    listKey: "ssh_keys",
    itemKey: "ssh_key",
    noun: "SSH key",
    records: world.sshKeys,
    toJson: (key) => sshKeyJson(world, key),
    filter: (key, query) => {
      const fingerprint = query.get("fingerprint");
      return fingerprint === null || key.fingerprint === fingerprint;
    },
    sort: ["id", "name"],
    remove: () => undefined,
    create: {
      nextId: () => world.nextSshKeyId(),
      read: (body, fields) => {
        if (typeof body.name !== "string" || body.name === "") {
          fields.push({ name: "name", messages: ["is required and must be a string"] });
        }
        const parsed =
          typeof body.public_key === "string"
            ? parseSshPublicKey(body.public_key)
            : "is required and must be a string";
        if (typeof parsed === "string") fields.push({ name: "public_key", messages: [parsed] });
        validateLabels(body.labels, fields);
        if (fields.length > 0 || typeof parsed === "string") return invalidInput(fields);
        return { publicKey: String(body.public_key).trim(), fingerprint: parsed.fingerprint };
      },
      conflict: ({ fingerprint }) =>
        [...world.sshKeys.values()].some((key) => key.fingerprint === fingerprint)
          ? hetznerError("uniqueness_error", "SSH key with the same fingerprint already exists", {
              fields: [{ name: "public_key" }],
            })
          : undefined,
    },
  });

  return routes;
}
