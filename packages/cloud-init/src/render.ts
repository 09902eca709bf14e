import { CloudConfigError } from "./errors.js";
import { renderMime, type ShellScript } from "./render-mime.js";
import { renderYaml } from "./render-yaml.js";
import type { CloudConfig } from "./types.js";

/**
 * How to render user data.
 *
 * @example
 * ```ts
 * const options: RenderOptions = { format: "mime", scripts: [{ content: "#!/bin/sh\ntrue\n" }] };
 * ```
 */
export interface RenderOptions {
  /**
   * `"yaml"` (default): one `#cloud-config` document. `"mime"`: a `multipart/mixed` message with
   * the cloud-config part followed by each of `scripts` as `text/x-shellscript`.
   */
  format?: "yaml" | "mime";
  /** Shell scripts to add as parts; only with `format: "mime"`. */
  scripts?: readonly ShellScript[];
}

/**
 * Renders a config as user data. With the default `format: "yaml"` the text starts with
 * `#cloud-config\n` and is YAML 1.1 that cloud-init's PyYAML reads back as exactly the same data
 * (strings such as `"yes"`, `"0644"`, `"12:30"` or `"="` are quoted; line breaks and control
 * characters are escaped). Secrets are written in full: log `preview(config)` instead. Call
 * `validate(config)` first to check fields and the 32 KiB limit.
 *
 * @example
 * ```ts
 * import { render, tailscale } from "@tailvm/cloud-init";
 * const userData = render(tailscale({ authKey: "tskey-auth-...", hostname: "ci-runner-1" }));
 * // "#cloud-config\napt:\n  sources:\n ..."
 * const multipart = render(config, { format: "mime", scripts: [{ content: "#!/bin/sh\necho hi\n" }] });
 * ```
 */
export function render(config: CloudConfig, options: RenderOptions = {}): string {
  return renderWith(config, options, "reveal");
}

/**
 * Renders like {@link render} but with every `secret(...)` value shown as `***`: the text to log.
 *
 * @example
 * ```ts
 * import { preview, tailscale } from "@tailvm/cloud-init";
 * logger.info(preview(tailscale({ authKey: secret(key), hostname: "ci-runner-1" })));
 * // ... content: "***"
 * ```
 */
export function preview(config: CloudConfig, options: RenderOptions = {}): string {
  return renderWith(config, options, "redact");
}

function renderWith(
  config: CloudConfig,
  options: RenderOptions,
  mode: "reveal" | "redact",
): string {
  const yaml = renderYaml(config, mode);
  if ((options.format ?? "yaml") === "yaml") {
    if (options.scripts !== undefined && options.scripts.length > 0) {
      throw new CloudConfigError(
        'Shell scripts need multi-part user data: pass { format: "mime" } together with scripts, or move the commands into runcmd.',
      );
    }
    return yaml;
  }
  return renderMime(yaml, options.scripts ?? [], mode);
}
