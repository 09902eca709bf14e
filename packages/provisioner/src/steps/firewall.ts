import { isHetznerApiError } from "@tailvm/hetzner-client";
import { raceSignal } from "@tailvm/internal";
import { StepFailure } from "../classify-failure.js";
import { MANAGED_FIREWALLS, type ManagedFirewallVariant } from "../managed-firewall.js";
import type { ResolvedOptions } from "../resolve-options.js";
import type { Run } from "../run.js";
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

/**
 * After a create was refused (`not_found` or `invalid_input`) with the managed firewall's cached
 * id: if that firewall is gone (another process's `reap()` deleted it once no server used it),
 * forgets it, finds or creates it again and returns the ids to create with. Undefined when the
 * firewall still exists (the refusal was about something else) or the firewalls are the user's.
 */
export async function replaceDeletedFirewall(
  run: Run,
  error: unknown,
  sent: readonly number[],
): Promise<number[] | undefined> {
  const choice = run.options.network.firewall;
  if (choice.kind !== "managed") return undefined;
  if (!isHetznerApiError(error, "not_found") && !isHetznerApiError(error, "invalid_input")) {
    return undefined;
  }
  const { name } = MANAGED_FIREWALLS[choice.variant];
  const found = await raceSignal(
    run.hetzner.listFirewalls({ name, signal: run.signal }),
    run.signal,
  );
  if (found.some((firewall) => sent.includes(firewall.id))) return undefined;
  for (const id of sent) run.firewalls.forget(id);
  const id = await run.firewalls.ensure(choice.variant, run.signal);
  run.reporter.emit({
    type: "warning",
    phase: "create-server",
    message: `firewall ${name} (${sent.join(", ")}) no longer exists (reap() in another process deletes it once unused); creating the server with ${name} (${id}) instead`,
  });
  return [id];
}
