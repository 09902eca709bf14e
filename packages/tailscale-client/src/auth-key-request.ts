import { TailscaleInputError } from "./errors.js";
import type { operations } from "./generated/tailscale.js";
import type { CreateAuthKeyOptions } from "./types.js";

/** The JSON body of `POST /tailnet/{tailnet}/keys`, typed from the OpenAPI document. */
export type CreateKeyBody = NonNullable<
  operations["createKey"]["requestBody"]
>["content"]["application/json"];

/** Tailscale's own rule (tailcfg.CheckTag): `tag:`, then a letter, then letters, digits or dashes. */
const TAG_PATTERN = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
/** The API documents a description as at most 50 alphanumeric characters, hyphens and spaces. */
const DESCRIPTION_PATTERN = /^[A-Za-z0-9 -]*$/;
const DESCRIPTION_MAX_LENGTH = 50;
/** Tailscale caps an auth key's lifetime at 90 days. */
export const MAX_AUTH_KEY_EXPIRY_SECONDS = 90 * 24 * 60 * 60;

/**
 * Checks tags as Tailscale does and throws {@link TailscaleInputError} naming the offending entry.
 */
export function validateTags(tags: unknown, field = "tags"): asserts tags is string[] {
  if (!Array.isArray(tags)) {
    throw new TailscaleInputError(field, `${field} must be an array of tags such as ["tag:ci"].`);
  }
  tags.forEach((tag: unknown, index) => {
    if (typeof tag !== "string" || !TAG_PATTERN.test(tag)) {
      throw new TailscaleInputError(
        `${field}[${index}]`,
        `${field}[${index}] is ${JSON.stringify(tag)}, which is not a Tailscale tag: a tag is "tag:" ` +
          'followed by a letter and then letters, digits or dashes, e.g. "tag:ci-runner".',
      );
    }
  });
}

/**
 * Validates {@link CreateAuthKeyOptions} before anything is sent and builds the request body in
 * exactly the shape the API defines: `capabilities.devices.create`, `expirySeconds`, `description`.
 */
export function buildCreateKeyBody(
  options: CreateAuthKeyOptions,
  context: { usesOAuth: boolean },
): CreateKeyBody {
  validateTags(options.tags);
  if (context.usesOAuth && options.tags.length === 0) {
    throw new TailscaleInputError(
      "tags",
      "tags is empty, but auth keys minted through an OAuth client must carry at least one tag " +
        '(Tailscale refuses untagged keys from OAuth clients). Pass tags such as ["tag:ci"] that the ' +
        "OAuth client's own tags own in the tailnet policy file's tagOwners.",
    );
  }
  for (const flag of ["ephemeral", "preauthorized", "reusable"] as const) {
    const value: unknown = options[flag];
    if (value !== undefined && typeof value !== "boolean") {
      throw new TailscaleInputError(
        flag,
        `${flag} must be true or false, not ${JSON.stringify(value)}.`,
      );
    }
  }
  const { expirySeconds, description } = options;
  if (
    expirySeconds !== undefined &&
    (!Number.isSafeInteger(expirySeconds) ||
      expirySeconds <= 0 ||
      expirySeconds > MAX_AUTH_KEY_EXPIRY_SECONDS)
  ) {
    throw new TailscaleInputError(
      "expirySeconds",
      `expirySeconds is ${String(expirySeconds)}; it must be a whole number of seconds from 1 to ` +
        `${MAX_AUTH_KEY_EXPIRY_SECONDS} (90 days), e.g. 600 for a key that lives ten minutes.`,
    );
  }
  if (description !== undefined) {
    if (
      typeof description !== "string" ||
      description.length > DESCRIPTION_MAX_LENGTH ||
      !DESCRIPTION_PATTERN.test(description)
    ) {
      throw new TailscaleInputError(
        "description",
        `description must be at most ${DESCRIPTION_MAX_LENGTH} characters of letters, digits, spaces ` +
          `and hyphens (Tailscale's rule); got ${JSON.stringify(String(description).slice(0, 60))}` +
          `${typeof description === "string" ? ` (${description.length} characters)` : ""}.`,
      );
    }
  }

  const body: CreateKeyBody = {
    capabilities: {
      devices: {
        create: {
          reusable: options.reusable ?? false,
          ephemeral: options.ephemeral ?? true,
          preauthorized: options.preauthorized ?? true,
          tags: [...options.tags],
        },
      },
    },
  };
  if (expirySeconds !== undefined) body.expirySeconds = expirySeconds;
  if (description !== undefined) body.description = description;
  return body;
}
