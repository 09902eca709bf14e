import { hetznerError, type InvalidField, invalidInput } from "./hetzner-errors.js";
import { validateLabels } from "./hetzner-input.js";
import type { Json } from "./hetzner-json.js";
import { listResponse } from "./hetzner-list.js";
import { createResourceRoutes } from "./hetzner-resource-routes.js";
import { serversWithFirewall } from "./public-exposure.js";
import type { Route } from "./router.js";
import { timestamp } from "./timestamp.js";
import type { FirewallRecord, FirewallRuleRecord, World } from "./world.js";

type HetznerFirewall = Json<"get_firewall", 200>["firewall"];

const PROTOCOLS = ["tcp", "udp", "icmp", "esp", "gre"] as const;
const PORT = /^\d{1,5}(-\d{1,5})?$|^any$/;

function firewallJson(world: World, firewall: FirewallRecord): HetznerFirewall {
  return {
    id: firewall.id,
    name: firewall.name,
    labels: { ...firewall.labels },
    created: timestamp(world, firewall.created),
    rules: firewall.rules.map((rule) => ({
      direction: rule.direction,
      protocol: rule.protocol,
      port: rule.port,
      source_ips: [...rule.sourceIps],
      destination_ips: [...rule.destinationIps],
    })),
    applied_to: serversWithFirewall(world, firewall.id).map((id) => ({
      type: "server" as const,
      server: { id },
    })),
  } satisfies HetznerFirewall;
}

function readRules(value: unknown, fields: InvalidField[]): FirewallRuleRecord[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fields.push({ name: "rules", messages: ["must be an array of rules"] });
    return [];
  }
  return (value as Record<string, unknown>[]).flatMap((rule, index) => {
    const name = `rules[${index}]`;
    const direction = rule?.direction;
    const protocol = rule?.protocol;
    if (direction !== "in" && direction !== "out") {
      fields.push({ name: `${name}.direction`, messages: ["must be 'in' or 'out'"] });
      return [];
    }
    if (!PROTOCOLS.includes(protocol as (typeof PROTOCOLS)[number])) {
      fields.push({
        name: `${name}.protocol`,
        messages: [`must be one of ${PROTOCOLS.join(", ")}`],
      });
      return [];
    }
    const port = rule.port === undefined ? null : rule.port;
    const needsPort = protocol === "tcp" || protocol === "udp";
    if (needsPort ? typeof port !== "string" || !PORT.test(port) : port !== null) {
      fields.push({
        name: `${name}.port`,
        messages: [
          needsPort
            ? "is required for tcp and udp: a port, a range or 'any'"
            : "is only allowed for tcp and udp",
        ],
      });
      return [];
    }
    const ips = (key: string) => (Array.isArray(rule[key]) ? (rule[key] as string[]) : []);
    if (direction === "in" && ips("source_ips").length === 0) {
      fields.push({ name: `${name}.source_ips`, messages: ["is required for inbound rules"] });
      return [];
    }
    return [
      {
        direction,
        protocol: protocol as FirewallRuleRecord["protocol"],
        port: port as string | null,
        sourceIps: ips("source_ips"),
        destinationIps: ips("destination_ips"),
      },
    ];
  });
}

/**
 * `GET`/`POST /firewalls`, `GET`/`DELETE /firewalls/{id}` and `GET /firewalls/{id}/actions`.
 * Names are unique (`uniqueness_error`); a firewall still applied to a server cannot be deleted
 * (`resource_in_use`); `applied_to` is read from the servers, which get firewalls at create.
 *
 * @example
 * ```ts
 * const routes = createFirewallRoutes(world);
 * ```
 */
export function createFirewallRoutes(world: World): Route[] {
  const { find, routes } = createResourceRoutes({
    path: "/firewalls",
    listKey: "firewalls",
    itemKey: "firewall",
    noun: "firewall",
    records: world.firewalls,
    toJson: (firewall) => firewallJson(world, firewall),
    sort: ["id", "name"],
    remove: (firewall) =>
      serversWithFirewall(world, firewall.id).length > 0
        ? hetznerError("resource_in_use", "firewall is still in use")
        : undefined,
    create: {
      nextId: () => world.nextFirewallId(),
      answer: { actions: [] },
      read: (body, fields) => {
        if (typeof body.name !== "string" || body.name === "" || body.name.length > 128) {
          fields.push({ name: "name", messages: ["is required: a string of 1 to 128 characters"] });
        }
        validateLabels(body.labels, fields);
        const rules = readRules(body.rules, fields);
        if (fields.length > 0) return invalidInput(fields);
        if (Array.isArray(body.apply_to) && body.apply_to.length > 0) {
          return hetznerError(
            "not_implemented",
            "POST /firewalls with apply_to is not simulated by @tailvm/testing: pass firewalls in POST /servers",
            { fields: [{ name: "apply_to" }] },
          );
        }
        return { rules };
      },
    },
  });

  return [
    ...routes,
    {
      method: "GET",
      template: "/firewalls/{id}/actions",
      handler: (context) => {
        const firewall = find(context.params.id);
        if (firewall instanceof Response) return firewall;
        return listResponse(context, { key: "actions", items: [], toJson: (item) => item });
      },
    },
  ];
}
