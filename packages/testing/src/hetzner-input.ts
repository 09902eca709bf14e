/** Reading and checking Hetzner request bodies. */
import { hetznerError, type InvalidField } from "./hetzner-errors.js";

export const HOSTNAME =
  /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const LABEL_KEY =
  /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/;
const LABEL_VALUE = /^([a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?)?$/;

/** The body as a JSON object, or a 400 `json_error` answer. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown> | Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return hetznerError("json_error", "request body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return hetznerError("json_error", "request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** Adds a field for every label key or value Hetzner refuses. */
export function validateLabels(labels: unknown, fields: InvalidField[]): void {
  if (labels === undefined) return;
  if (labels === null || typeof labels !== "object" || Array.isArray(labels)) {
    fields.push({ name: "labels", messages: ["must be an object of string values"] });
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key) || key.startsWith("hetzner.cloud/")) {
      fields.push({ name: `labels.${key}`, messages: ["is not a valid label key"] });
    } else if (typeof value !== "string" || !LABEL_VALUE.test(value)) {
      fields.push({
        name: `labels.${key}`,
        messages: ["must be a string of up to 63 characters: letters, digits, '-', '_' and '.'"],
      });
    }
  }
}

/** A copy of a checked body's `labels`, or `{}` when it sent none. */
export function labelsOf(body: Record<string, unknown>): Record<string, string> {
  return { ...((body.labels as Record<string, string> | undefined) ?? {}) };
}

/** A positive integer path id, or `undefined`. */
export function parseId(value: string | undefined): number | undefined {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
