import { type Clock, poll } from "@tailvm/internal";
import { validateTags } from "./auth-key-request.js";
import { matchesDevice, toEnrolledDevice, toEpochMs } from "./device-matching.js";
import { TailscaleError, TailscaleInputError, TailscaleTimeoutError } from "./errors.js";
import type { Device, EnrolledDevice, WaitForDeviceOptions } from "./types.js";

const DEFAULT_TIMEOUT_MS = 300_000;
const FIRST_POLL_DELAY_MS = 1_000;
const MAX_POLL_DELAY_MS = 5_000;

export interface WaitForDeviceContext {
  clock: Clock;
  listDevices: (options: { signal?: AbortSignal }) => Promise<Device[]>;
}

/**
 * Polls the device list, backing off from 1 s to 5 s (or as `pollDelayMs` says), until a device with the host name, tags and
 * creation time asked for is there (and connected, unless told otherwise). The deadline is measured
 * with the injected clock and aborts a poll in flight, so neither a request that never answers nor
 * the client's own retries can run past `timeoutMs`. A poll that fails with a retryable error is
 * tried again after the next interval; other errors are thrown at once.
 */
export async function waitForDevice(
  options: WaitForDeviceOptions,
  context: WaitForDeviceContext,
): Promise<EnrolledDevice> {
  validateDeviceCriteria(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TailscaleInputError(
      "timeoutMs",
      `timeoutMs must be a positive number of milliseconds, not ${String(timeoutMs)}.`,
    );
  }
  if (options.pollDelayMs !== undefined && typeof options.pollDelayMs !== "function") {
    throw new TailscaleInputError(
      "pollDelayMs",
      "pollDelayMs must be a function from { attempt, elapsedMs } to milliseconds, or left out.",
    );
  }
  const requireConnected = options.requireConnected ?? true;
  const { clock } = context;
  const startedAt = clock.now();
  let lastDevices: Device[] | undefined;

  return poll({
    clock,
    signal: options.signal,
    timeoutMs,
    check: async (signal) => {
      const devices = await context.listDevices({ signal });
      lastDevices = devices;
      const ready = devices
        .filter((device) => matchesDevice(device, options))
        .filter((device) => !requireConnected || device.connectedToControl === true)
        .sort((a, b) => createdAt(b) - createdAt(a))
        .map(toEnrolledDevice)
        .find((device) => device !== undefined);
      return ready ? { value: ready } : undefined;
    },
    nextDelayMs: ({ attempt, elapsedMs }) =>
      options.pollDelayMs?.({ attempt, elapsedMs }) ??
      Math.min(FIRST_POLL_DELAY_MS * 2 ** (attempt - 1), MAX_POLL_DELAY_MS),
    isTransient: (error) => error instanceof TailscaleError && error.isRetryable,
    timeoutError: (lastError) =>
      timeoutError(options, requireConnected, timeoutMs, clock.now() - startedAt, {
        lastDevices,
        lastError,
      }),
  });
}

/** Shared by findDevices, waitForDevice and removeStaleDevices. */
export function validateDeviceCriteria(options: {
  hostname: unknown;
  tags?: unknown;
  createdAfter?: unknown;
}): void {
  if (typeof options.hostname !== "string" || options.hostname.trim() === "") {
    throw new TailscaleInputError(
      "hostname",
      'hostname must be the machine\'s host name (as the VM sets it), e.g. "runner-1".',
    );
  }
  if (options.tags !== undefined) validateTags(options.tags);
  const { createdAfter } = options;
  if (
    createdAfter !== undefined &&
    !(
      (createdAfter instanceof Date && !Number.isNaN(createdAfter.getTime())) ||
      (typeof createdAfter === "number" && Number.isFinite(createdAfter))
    )
  ) {
    throw new TailscaleInputError(
      "createdAfter",
      "createdAfter must be a valid Date or epoch milliseconds, e.g. the time the VM was requested.",
    );
  }
}

function createdAt(device: Device): number {
  const time = Date.parse(device.created ?? "");
  return Number.isNaN(time) ? 0 : time;
}

function timeoutError(
  options: WaitForDeviceOptions,
  requireConnected: boolean,
  timeoutMs: number,
  waitedMs: number,
  last: { lastDevices: Device[] | undefined; lastError: unknown },
): TailscaleTimeoutError {
  const tags =
    options.tags && options.tags.length > 0 ? ` and tags ${options.tags.join(", ")}` : "";
  const since =
    options.createdAfter === undefined
      ? ""
      : ` created at or after ${new Date(toEpochMs(options.createdAfter)).toISOString()}`;
  const outcome = requireConnected ? "connected to the tailnet" : "appeared in the tailnet";
  const message =
    `No Tailscale device with hostname "${options.hostname}"${tags}${since} ${outcome} within ` +
    `${formatSeconds(waitedMs)} (timeout ${formatSeconds(timeoutMs)}). Last poll: ` +
    `${describeLastPoll(options, last)}. Check the VM's cloud-init output ` +
    "(/var/log/cloud-init-output.log) for errors from `tailscale up`, that the auth key's tags are " +
    "owned by the key's creator in the tailnet policy file (tagOwners), and that the ACL and any " +
    "device approval settings let the device join.";
  return new TailscaleTimeoutError(message, { timeoutMs, cause: last.lastError });
}

function describeLastPoll(
  options: WaitForDeviceOptions,
  last: { lastDevices: Device[] | undefined; lastError: unknown },
): string {
  if (last.lastError !== undefined) return "the device list could not be read (see cause)";
  if (last.lastDevices === undefined) return "the device list did not arrive in time";
  const sameHostname = last.lastDevices.filter(
    (device) => device.hostname?.toLowerCase() === options.hostname.toLowerCase(),
  );
  if (sameHostname.length === 0) return "no device had that hostname";
  const described = sameHostname.slice(0, 5).map((device) => {
    const reasons: string[] = [];
    const missing = (options.tags ?? []).filter((tag) => !(device.tags ?? []).includes(tag));
    if (missing.length > 0) reasons.push(`missing ${missing.join(", ")}`);
    if (options.createdAfter !== undefined && !matchesDevice(device, { ...options, tags: [] })) {
      reasons.push(`created earlier (${device.created ?? "unknown"})`);
    }
    if (device.connectedToControl !== true) reasons.push("offline");
    if (!(device.addresses ?? []).some((address) => address.startsWith("100."))) {
      reasons.push("no 100.x address yet");
    }
    return `${device.nodeId ?? device.id ?? "?"} (${reasons.join(", ") || "not ready"})`;
  });
  return `${sameHostname.length} device(s) had that hostname but none qualified: ${described.join("; ")}`;
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
