import { hetznerError } from "./hetzner-errors.js";
import { jsonResponse } from "./router.js";
import type { SimulatedApi } from "./types.js";

/**
 * 501 for a route outside what the simulator models, in the API's own error shape, saying so:
 * never a 404 or 405 that would read as the caller's mistake.
 *
 * @example
 * ```ts
 * return notSimulated("hetzner", "GET", "/volumes");
 * ```
 */
export function notSimulated(
  api: SimulatedApi | undefined,
  method: string,
  path: string,
): Response {
  const where = api === "hetzner" ? "Hetzner " : api === "tailscale" ? "Tailscale " : "";
  const message = `${method} ${path} is not simulated: @tailvm/testing models only part of the ${where}API (its README lists the simulated routes).`;
  if (api === "hetzner") return hetznerError("not_implemented", message, { method, path });
  if (api === "tailscale") return jsonResponse({ message }, 501);
  return jsonResponse({ error: { code: "not_implemented", message }, message }, 501);
}
