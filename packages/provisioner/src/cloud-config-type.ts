export type { CloudConfig } from "@tailvm/cloud-init";
