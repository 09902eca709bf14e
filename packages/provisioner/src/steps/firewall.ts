import { raceSignal } from "@tailvm/internal";
import { StepFailure } from "../classify-failure.js";
import { MANAGED_FIREWALLS, type ManagedFirewallVariant } from "../managed-firewall.js";
import type { ResolvedOptions } from "../resolve-options.js";
import { createsServer, type Step } from "./step.js";

/** The firewall a run applies, as `plan()` shows it. */
export type FirewallParameters =
  | { kind: "managed"; variant: ManagedFirewallVariant; name: string; inbound: string[] }
  | { kind: "user"; ids: number[] };

export function firewallParameters(options: ResolvedOptions): FirewallParameters {
  const choice = options.network.firewall;
  if (choice.kind === "user") return { kind: "user", ids: [...choice.ids] };
  const managed = MANAGED_FIREWALLS[choice.variant];
  return {
    kind: "managed",
    variant: choice.variant,
    name: managed.name,
    inbound: managed.inbound.map((rule) => `${rule.protocol}/${rule.port}`),
  };
}

/**
 * Finds (or creates, once per provisioner) the managed firewall, or checks that the user's
 * firewalls exist, before the auth key is minted. The server gets them in its create request, so
 * it is never reachable without them. Rollback never deletes a firewall: other servers share it.
 */
export const firewallStep: Step<"firewall", FirewallParameters> = {
  phase: "firewall",
  creates: [],
  parameters: firewallParameters,
  applies: createsServer,
  async run({ run, parameters }) {
    if (parameters.kind === "managed") {
      return [await run.firewalls.ensure(parameters.variant, run.signal)];
    }
    const existing = await raceSignal(
      run.hetzner.listFirewalls({ signal: run.signal }),
      run.signal,
    );
    const known = new Set(existing.map((firewall) => firewall.id));
    const missing = parameters.ids.filter((id) => !known.has(id));
    if (missing.length > 0) {
      throw new StepFailure(
        "invalid_input",
        `firewalls: ${missing.join(", ")} ${missing.length === 1 ? "does" : "do"} not exist in this Hetzner project; pass the ids of existing firewalls (hcloud firewall list), or leave firewalls out to use tailvm's closed firewall.`,
      );
    }
    return [...parameters.ids];
  },
};
