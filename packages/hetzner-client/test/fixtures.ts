import { HttpResponse } from "msw";
import type { Action, Server } from "../src/types";

export const BASE_URL = "https://api.hetzner.cloud/v1";
export const TOKEN = "hcloud-secret-token-0123456789abcdefghijklmnopqrstuvwxyz";
export const createBody = { name: "runner-1", server_type: "cx23", image: "ubuntu-24.04" };

/** The 201 answer of `POST /servers` for server `id`. */
export function created(id: number) {
  return HttpResponse.json(
    {
      server: server(id, "runner-1"),
      action: action(100, "running"),
      next_actions: [action(101, "running")],
      root_password: null,
    },
    { status: 201 },
  );
}

export function errorBody(code: string, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}

export function errorResponse(status: number, code: string, message = `${code} happened`) {
  return HttpResponse.json(errorBody(code, message), { status });
}

/** Hetzner's 429 once the hourly budget is spent: come back at `resetAt` (Unix seconds). */
export function rateLimitExceeded(resetAt: number) {
  return HttpResponse.json(errorBody("rate_limit_exceeded", "limit reached"), {
    status: 429,
    headers: {
      "RateLimit-Limit": "3600",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": String(resetAt),
    },
  });
}

export function action(
  id: number,
  status: Action["status"],
  error: Action["error"] = null,
): Action {
  return {
    id,
    command: "create_server",
    status,
    started: "2026-01-01T00:00:00+00:00",
    finished: status === "running" ? null : "2026-01-01T00:00:30+00:00",
    progress: status === "running" ? 50 : 100,
    resources: [{ id: 42, type: "server" }],
    error,
  };
}

export function server(id: number, name: string, labels: Record<string, string> = {}): Server {
  return {
    id,
    name,
    status: "running",
    created: "2026-01-01T00:00:00+00:00",
    public_net: {
      ipv4: { id: 1, ip: "203.0.113.10", blocked: false, dns_ptr: "static.example" },
      ipv6: null,
      floating_ips: [],
    },
    private_net: [],
    server_type: {
      id: 1,
      name: "cx23",
      description: "CX23",
      cores: 2,
      memory: 4,
      disk: 40,
      deprecated: false,
      prices: [],
      storage_type: "local",
      cpu_type: "shared",
      architecture: "x86",
      locations: [],
    },
    location: {
      id: 1,
      name: "nbg1",
      description: "Nuremberg DC Park 1",
      country: "DE",
      city: "Nuremberg",
      latitude: 49.45,
      longitude: 11.07,
      network_zone: "eu-central",
    },
    image: null,
    iso: null,
    rescue_enabled: false,
    locked: false,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: 0,
    protection: { delete: false, rebuild: false },
    labels,
    primary_disk_size: 40,
  };
}

export function pagination(page: number, lastPage: number) {
  return {
    pagination: {
      page,
      per_page: 50,
      previous_page: page > 1 ? page - 1 : null,
      next_page: page < lastPage ? page + 1 : null,
      last_page: lastPage,
      total_entries: null,
    },
  };
}
