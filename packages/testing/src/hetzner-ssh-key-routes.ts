import { hetznerError, type InvalidField, invalidInput, notFound } from "./hetzner-errors.js";
import { parseId, readJsonBody, validateLabels } from "./hetzner-input.js";
import { type Json, sshKeyJson } from "./hetzner-json.js";
import { listResponse } from "./hetzner-list.js";
import { jsonResponse, type Route } from "./router.js";
import { parseSshPublicKey } from "./ssh-public-key.js";
import type { SshKeyRecord, World } from "./world.js";

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
  const find = (id: string | undefined): SshKeyRecord | Response => {
    const key = world.sshKeys.get(parseId(id) ?? 0);
    return key ?? notFound("SSH key", id);
  };

  return [
    {
      method: "GET",
      template: "/ssh_keys",
      handler: (context) => {
        const { query } = context;
        const name = query.get("name");
        const fingerprint = query.get("fingerprint");
        const keys = [...world.sshKeys.values()]
          .sort((a, b) => a.id - b.id)
          .filter((key) => name === null || key.name === name)
          .filter((key) => fingerprint === null || key.fingerprint === fingerprint);
        return listResponse(context, {
          key: "ssh_keys",
          items: keys,
          toJson: (key) => sshKeyJson(world, key),
          labels: (key) => key.labels,
          sort: { id: (key) => key.id, name: (key) => key.name },
        });
      },
    },
    {
      method: "POST",
      template: "/ssh_keys",
      handler: async ({ request, now }) => {
        const body = await readJsonBody(request);
        if (body instanceof Response) return body;
        const fields: InvalidField[] = [];
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
        const name = String(body.name);
        const existing = [...world.sshKeys.values()];
        if (existing.some((key) => key.name === name)) {
          return hetznerError("uniqueness_error", "SSH key with the same name already exists", {
            fields: [{ name: "name" }],
          });
        }
        if (existing.some((key) => key.fingerprint === parsed.fingerprint)) {
          return hetznerError(
            "uniqueness_error",
            "SSH key with the same fingerprint already exists",
            { fields: [{ name: "public_key" }] },
          );
        }
        const key: SshKeyRecord = {
          id: world.nextSshKeyId(),
          name,
          publicKey: String(body.public_key).trim(),
          fingerprint: parsed.fingerprint,
          labels: { ...((body.labels as Record<string, string> | undefined) ?? {}) },
          created: now,
        };
        world.sshKeys.set(key.id, key);
        return jsonResponse(
          { ssh_key: sshKeyJson(world, key) } satisfies Json<"create_ssh_key", 201>,
          201,
        );
      },
    },
    {
      method: "GET",
      template: "/ssh_keys/{id}",
      handler: ({ params }) => {
        const key = find(params.id);
        if (key instanceof Response) return key;
        return jsonResponse({ ssh_key: sshKeyJson(world, key) } satisfies Json<"get_ssh_key", 200>);
      },
    },
    {
      method: "DELETE",
      template: "/ssh_keys/{id}",
      handler: ({ params }) => {
        const key = find(params.id);
        if (key instanceof Response) return key;
        world.sshKeys.delete(key.id);
        return new Response(null, { status: 204 });
      },
    },
  ];
}
