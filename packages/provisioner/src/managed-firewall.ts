import { type Firewall, type HetznerClient, isHetznerApiError } from "@tailvm/hetzner-client";
import { raceSignal } from "@tailvm/internal";
import { StepFailure } from "./classify-failure.js";
import { LABEL_KEYS, MANAGED_BY_VALUE } from "./labels.js";

/** Which managed firewall a server gets: every inbound port closed, or only SSH open. */
export type ManagedFirewallVariant = "tailnet-only" | "public-ssh";

/** The label that marks a firewall as one of tailvm's, with its variant as the value. */
export const FIREWALL_LABEL = "tailvm/firewall";

interface InboundRule {
  direction: "in";
  protocol: "tcp";
  port: string;
  source_ips: string[];
}

/** What each managed firewall is: its name and its inbound rules (outbound is always open). */
export const MANAGED_FIREWALLS: Record<
  ManagedFirewallVariant,
  { name: string; inbound: InboundRule[] }
> = {
  // No rules: Hetzner drops all inbound traffic and allows all outbound. Tailscale needs no
  // inbound port: it connects out, and falls back to DERP relays when no direct path exists.
  "tailnet-only": { name: "tailvm-tailnet-only", inbound: [] },
  "public-ssh": {
    name: "tailvm-public-ssh",
    inbound: [{ direction: "in", protocol: "tcp", port: "22", source_ips: ["0.0.0.0/0", "::/0"] }],
  },
};

/** The firewalls a scope has found or created, by variant: one request per scope, not per run. */
export interface ManagedFirewalls {
  /** The id of the variant's firewall, found or created; rejects with `signal.reason` on abort. */
  ensure(variant: ManagedFirewallVariant, signal: AbortSignal): Promise<number>;
  /** Forgets a firewall that was deleted (by `reap()`), so the next run looks it up again. */
  forget(id: number): void;
}

function labelsOf(variant: ManagedFirewallVariant) {
  return { [LABEL_KEYS.managedBy]: MANAGED_BY_VALUE, [FIREWALL_LABEL]: variant };
}

function inboundRulesMatch(firewall: Firewall, variant: ManagedFirewallVariant): boolean {
  const inbound = firewall.rules.filter((rule) => rule.direction === "in");
  const expected = MANAGED_FIREWALLS[variant].inbound;
  return (
    inbound.length === expected.length &&
    expected.every((rule) =>
      inbound.some((found) => found.protocol === rule.protocol && found.port === rule.port),
    )
  );
}

async function find(hetzner: HetznerClient, variant: ManagedFirewallVariant) {
  const { name } = MANAGED_FIREWALLS[variant];
  const [found] = await hetzner.listFirewalls({ name });
  if (!found) return undefined;
  if (found.labels?.[FIREWALL_LABEL] !== variant || !inboundRulesMatch(found, variant)) {
    throw new StepFailure(
      "firewall_conflict",
      `a firewall named ${name} (${found.id}) exists but is not tailvm's ${variant} firewall (its labels or inbound rules differ); delete or rename it, or pass firewalls: [${found.id}] to use it as your own.`,
    );
  }
  return found.id;
}

/**
 * Finds or creates the variant's firewall. Two runs (or two processes) may create it at once: the
 * loser's `uniqueness_error`, or a create whose answer was lost, is resolved by reading it again.
 */
async function findOrCreate(hetzner: HetznerClient, variant: ManagedFirewallVariant) {
  const existing = await find(hetzner, variant);
  if (existing !== undefined) return existing;
  const { name, inbound } = MANAGED_FIREWALLS[variant];
  try {
    const { firewall } = await hetzner.createFirewall({
      name,
      labels: labelsOf(variant),
      rules: inbound,
    });
    return firewall.id;
  } catch (error) {
    const found = await find(hetzner, variant).catch(() => undefined);
    if (found !== undefined) return found;
    if (isHetznerApiError(error, "uniqueness_error")) {
      throw new StepFailure(
        "firewall_conflict",
        `creating firewall ${name} answered uniqueness_error but no such firewall could be read; try again.`,
        { cause: error, isRetryable: true },
      );
    }
    throw error;
  }
}

/** Creates the scope's cache of managed firewalls. A failed lookup is not kept. */
export function createManagedFirewalls(options: { hetzner: HetznerClient }): ManagedFirewalls {
  const entries = new Map<ManagedFirewallVariant, { id: Promise<number>; found?: number }>();
  return {
    ensure(variant, signal) {
      signal.throwIfAborted();
      let entry = entries.get(variant);
      if (!entry) {
        // Not tied to one caller's signal: other runs may be waiting on the same answer.
        const created: { id: Promise<number>; found?: number } = {
          id: findOrCreate(options.hetzner, variant),
        };
        entry = created;
        entries.set(variant, created);
        created.id.then(
          (id) => {
            created.found = id;
          },
          () => {
            if (entries.get(variant) === created) entries.delete(variant);
          },
        );
      }
      return raceSignal(entry.id, signal);
    },
    forget(id) {
      for (const [variant, entry] of entries) {
        if (entry.found === id) entries.delete(variant);
      }
    },
  };
}
