import { bigint, boolean, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** How a job is provisioned: by this app (`local`) or by the GitHub workflow it dispatches. */
export const JOB_MODES = ["local", "dispatch"] as const;
export type JobMode = (typeof JOB_MODES)[number];

/**
 * A job's life: `provisioning`, then `succeeded` or `failed`; `DELETE` moves either to `deleting`
 * and then `deleted` (or back to `failed` with the reason when something could not be deleted).
 */
export const JOB_STATUSES = ["provisioning", "succeeded", "failed", "deleting", "deleted"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** What a job asked for, as `POST /api/vms` accepted it (never a secret). */
export interface JobRequest {
  agentId: string;
  region?: string;
  serverType?: string;
  image?: string;
  ttl?: string | number;
  tags: string[];
}

/** Why a job failed: the provisioner's phase and code when it has them, and a redacted message. */
export interface JobError {
  phase?: string;
  code?: string;
  message: string;
}

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const apiTokens = pgTable("api_tokens", {
  /** The token's public part (`tvm_<id>_<secret>`), so a lookup never compares secrets. */
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** SHA-256 of the whole token, hex. */
  secretHash: text("secret_hash").notNull(),
  createdAt: timestamps.createdAt,
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export const jobs = pgTable(
  "jobs",
  {
    jobId: text("job_id").primaryKey(),
    ownerTokenId: text("owner_token_id")
      .notNull()
      .references(() => apiTokens.id),
    mode: text("mode", { enum: JOB_MODES }).notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull(),
    agentId: text("agent_id").notNull(),
    request: jsonb("request").$type<JobRequest>().notNull(),
    error: jsonb("error").$type<JobError>(),
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  (table) => [
    index("jobs_owner_idx").on(table.ownerTokenId, table.createdAt),
    index("jobs_status_idx").on(table.status),
  ],
);

export const vms = pgTable("vms", {
  jobId: text("job_id")
    .primaryKey()
    .references(() => jobs.jobId),
  serverId: bigint("server_id", { mode: "number" }).notNull(),
  serverName: text("server_name").notNull(),
  serverType: text("server_type").notNull(),
  location: text("location").notNull(),
  serverIpv4: text("server_ipv4"),
  tailscaleIp: text("tailscale_ip"),
  tailscaleHostname: text("tailscale_hostname"),
  tailscaleDeviceId: text("tailscale_device_id"),
  adopted: boolean("adopted").notNull().default(false),
  /** Hetzner's gross prices for the type in its location (EUR, as decimal strings), when known. */
  priceHourly: text("price_hourly"),
  priceMonthly: text("price_monthly"),
  createdAt: timestamps.createdAt,
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
});

/** Callback deliveries already applied, by `webhook-id`: a re-sent or replayed one is ignored. */
export const webhookDeliveries = pgTable("webhook_deliveries", {
  webhookId: text("webhook_id").primaryKey(),
  jobId: text("job_id"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ApiToken = typeof apiTokens.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type VmRow = typeof vms.$inferSelect;
