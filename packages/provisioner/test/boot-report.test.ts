import { readUserData, type SimulatedCloud } from "@tailvm/testing";
import { describe, expect, it } from "vitest";
import { createBootReportInbox } from "../src/boot-report-inbox.js";
import { DEFAULTS } from "../src/defaults.js";
import { provisionVM } from "../src/one-shot.js";
import { plan } from "../src/plan.js";
import {
  baseOptions,
  failureOf,
  inputErrorOf,
  type recordEvents,
} from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/boot-report.test.ts");
const REPORT_URL = "https://ci.example.com/api/boot-reports";

/** A simulated cloud whose VMs deliver their boot reports to `inbox`, in process. */
function setup() {
  const inbox = createBootReportInbox();
  const delivered: number[] = [];
  const { sim, context } = simulatedContext(sink, {
    bootReportFetch: async (request) => {
      const response = await inbox.handle(request);
      delivered.push(response.status);
      return response;
    },
  });
  return { sim, context, inbox, delivered };
}

/** Revokes each auth key as soon as the run has minted it, so that `tailscale up` fails at boot. */
function revokeKeysOnMint(sim: SimulatedCloud, context: Parameters<typeof recordEvents>[0]) {
  const previous = context.onEvent;
  context.onEvent = (event) => {
    previous?.(event);
    if (event.type === "resource-created" && event.resource === "auth-key") {
      void sim.fetch(`${sim.tailscaleUrl}/tailnet/-/keys/${event.id}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${sim.credentials.tailscaleApiKey}` },
      });
    }
  };
}

describe("bootReport", () => {
  it("fails the run when the VM reports a failed boot, long before the join deadline, and rolls back", async () => {
    const { sim, context, inbox, delivered } = setup();
    revokeKeysOnMint(sim, context);
    const started = sim.clock.now();
    const error = await failureOf(
      sink,
      provisionVM({ ...baseOptions, bootReport: { url: REPORT_URL, source: inbox } }, context),
    );
    expect(error.code).toBe("boot_failed");
    expect(error.message).toMatch(
      /the VM reported that its boot failed in the scripts-user module \(stage modules-final\): .*revoked/,
    );
    expect(delivered).toEqual([202]);
    // The report comes as the server boots: well before timeouts.deviceJoin would have run out.
    expect(sim.clock.now() - started).toBeLessThan(DEFAULTS.timeouts.deviceJoin / 2);
    expect(error.cleanup.failed).toEqual([]);
    expect(sim.state.servers()).toEqual([]);
    expect(inbox.waiting).toBe(0);
  });

  it("goes on to the join after a done report, and stops waiting once the run ends", async () => {
    const { sim, context, inbox, delivered } = setup();
    const logs: string[] = [];
    context.logger = [
      ...[context.logger ?? []].flat(),
      {
        debug: (message) => void logs.push(message),
        info: (message) => void logs.push(message),
      },
    ];
    const result = await provisionVM(
      { ...baseOptions, bootReport: { url: REPORT_URL, source: inbox } },
      context,
    );
    expect(result.tailscaleIp).toMatch(/^100\./);
    expect(delivered).toEqual([202]);
    expect(logs.some((line) => line.includes("reported its boot done"))).toBe(true);
    expect(inbox.waiting).toBe(0);
    // The user data carries the boot report settings with the run's own token, which no log shows.
    const userData = sim.state.servers()[0]?.user_data ?? "";
    expect(userData).toContain("/run/tailvm/boot-report.json");
    const token = readUserData(userData).bootReport?.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(logs.join("\n")).not.toContain(token);
  });

  it("stops waiting for a report when the run fails for another reason", async () => {
    const { sim, context, inbox } = setup();
    sim.faults.deviceNeverJoins();
    await failureOf(
      sink,
      provisionVM(
        {
          ...baseOptions,
          bootReport: { url: REPORT_URL, source: inbox },
          timeouts: { deviceJoin: 60_000 },
        },
        context,
      ),
    );
    expect(inbox.waiting).toBe(0);
  });

  it("refuses a plain http:// URL on the internet and a missing source, before any request", async () => {
    const { sim, context } = setup();
    const error = await inputErrorOf(
      sink,
      provisionVM(
        {
          ...baseOptions,
          bootReport: { url: "http://ci.example.com/boot", source: undefined as never },
        },
        context,
      ),
    );
    expect(error.issues.map((issue) => issue.field)).toEqual([
      "bootReport.url",
      "bootReport.source",
    ]);
    expect(error.issues[0]?.message).toMatch(/must use https:\/\//);
    expect(sim.state.requests()).toEqual([]);
    // Plain HTTP is fine where the token does not cross the internet.
    for (const url of [
      "http://10.0.2.100/r",
      "http://runner.tail1234.ts.net/r",
      "http://[::1]:8080/r",
    ]) {
      expect(() =>
        plan({ ...baseOptions, bootReport: { url, source: createBootReportInbox() } }),
      ).not.toThrow();
    }
    expect(() =>
      plan({
        ...baseOptions,
        bootReport: { url: "http://8.8.8.8/r", source: createBootReportInbox() },
      }),
    ).toThrow(/bootReport\.url/);
    const inbox = createBootReportInbox();
    const tailnet = { url: "http://100.101.102.103:8080/boot", source: inbox };
    await expect(
      provisionVM({ ...baseOptions, bootReport: tailnet }, context),
    ).resolves.toMatchObject({ tailscaleIp: expect.stringMatching(/^100\./) });
  });
});
