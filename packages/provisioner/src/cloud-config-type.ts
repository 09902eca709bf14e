export type CloudConfig = Record<string, unknown>;
