import { preview, render } from "@tailvm/cloud-init";
import { buildCloudConfig, type CloudConfigParts } from "../build-cloud-config.js";
import type { ResolvedOptions } from "../resolve-options.js";
import { watchBootReport } from "./boot-report.js";
import { createsServer, need, type Step } from "./step.js";

/** What the user data is built from, besides the auth key and the boot report token. */
export type CloudInitParameters = CloudConfigParts;

export function cloudInitParameters(options: ResolvedOptions): CloudInitParameters {
  return {
    hostname: options.name,
    tags: options.tags,
    ssh: options.ssh,
    distribution: options.distribution,
    sshd: options.sshd,
    fragments: options.cloudInit,
    bootReportUrl: options.bootReport?.url,
  };
}

/**
 * Builds the user data: the boot report's settings when asked for, the Tailscale module with the
 * minted key, the sshd fragment (unless sshd stays as the image has it), then the caller's
 * fragments. With a boot report, the run starts waiting for it here, before the server exists, so
 * no report can come before anyone listens.
 */
export const cloudInitStep: Step<"cloud-init", CloudInitParameters> = {
  phase: "cloud-init",
  creates: [],
  parameters: cloudInitParameters,
  applies: createsServer,
  async run({ run, results, parameters }) {
    const bootReportToken = watchBootReport(run);
    const config = buildCloudConfig({
      ...parameters,
      authKey: need(results, "auth-key"),
      bootReportToken: bootReportToken ?? "",
    });
    run.reporter.log("debug", `cloud-config (secrets shown as ***):\n${preview(config)}`);
    return render(config);
  },
};
