import { expect } from "vitest";
import {
  type ReadUserDataOptions,
  readUserData,
  type TailscaleBootPlan,
} from "../src/read-user-data.js";

/** Tailscale's apt source for Ubuntu, signed by its key id, and the package. */
export const APT = [
  "apt:",
  "  sources:",
  "    tailscale:",
  "      source: deb [signed-by=$KEY_FILE] https://pkgs.tailscale.com/stable/ubuntu $RELEASE main",
  "      keyid: 2596A99EAAB33821893C0A79458CA832957F5868",
  "packages: [tailscale]",
];

/** A `write_files` entry that writes the auth key `tskey-auth-abc` to the key file. */
export const KEY_FILE = [
  "write_files:",
  "  - path: /run/tailvm/tailscale-auth-key",
  "    permissions: '0600'",
  "    content: tskey-auth-abc\n",
];

/** `tailscale up` reading the key file, as an argv list. */
export const UP = "[tailscale, up, --auth-key=file:/run/tailvm/tailscale-auth-key, --hostname=box]";

/** A command list entry that removes the key file. */
export const REMOVE_KEY_FILE = "  - [rm, -f, /run/tailvm/tailscale-auth-key]";

/** A command list entry that runs Tailscale's install script. */
export const INSTALL_SCRIPT = "  - curl -fsSL https://tailscale.com/install.sh | sh";

export const cloudConfig = (...lines: string[]) => ["#cloud-config", ...lines].join("\n");

/** User data, what `readUserData` is told, and the fields of the plan it must read from them. */
export interface UserDataCase {
  name: string;
  userData: string;
  options?: ReadUserDataOptions;
  /** Each field is compared whole; a matcher such as `expect.stringMatching` stands for a value. */
  plan: { [Field in keyof TailscaleBootPlan]?: unknown };
}

export function expectPlan({ userData, options, plan }: UserDataCase): void {
  expect(readUserData(userData, options)).toEqual(expect.objectContaining(plan));
}
