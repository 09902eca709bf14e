import { preview, render } from "@tailvm/cloud-init";
import { buildCloudConfig, type CloudConfigParts } from "../build-cloud-config.js";
import type { ResolvedOptions } from "../resolve-options.js";
import { createsServer, need, type Step } from "./step.js";

/** What the user data is built from, besides the auth key. */
export type CloudInitParameters = CloudConfigParts;

export function cloudInitParameters(options: ResolvedOptions): CloudInitParameters {
  return {
    hostname: options.name,
    tags: options.tags,
    ssh: options.ssh,
    distribution: options.distribution,
    sshd: options.sshd,
    fragments: options.cloudInit,
  };
}

/**
 * Builds the user data: the Tailscale module with the minted key, the sshd fragment (unless sshd
 * stays as the image has it), then the caller's fragments.
 */
export const cloudInitStep: Step<"cloud-init", CloudInitParameters> = {
  phase: "cloud-init",
  creates: [],
  parameters: cloudInitParameters,
  applies: createsServer,
  async run({ run, results, parameters }) {
    const config = buildCloudConfig({ ...parameters, authKey: need(results, "auth-key") });
    run.reporter.log("debug", `cloud-config (secrets shown as ***):\n${preview(config)}`);
    return render(config);
  },
};
