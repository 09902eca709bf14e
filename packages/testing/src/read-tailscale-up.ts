import type { ShellWord } from "./shell-commands.js";

/**
 * What one `tailscale up` command does: the flags it reads, or why it exits with an error before
 * it tries to join.
 *
 * @example
 * ```ts
 * const up: TailscaleUpCommand = { authKey: { text: "tskey-auth-abc", expanded: false }, tags: [] };
 * ```
 */
export type TailscaleUpCommand =
  | { authKey: ShellWord | undefined; hostname?: string; tags: string[]; error?: undefined }
  | { error: string };

/** `tailscale up` flags that take no value (`--ssh`, `--ssh=false`). */
const BOOLEAN_FLAGS = new Set([
  "accept-dns",
  "accept-routes",
  "advertise-connector",
  "advertise-exit-node",
  "exit-node-allow-lan-access",
  "force-reauth",
  "json",
  "qr",
  "reset",
  "shields-up",
  "snat-subnet-routes",
  "ssh",
  "stateful-filtering",
  "unattended",
  "webclient",
]);

/** `tailscale up` flags that take a value (`--hostname=h` or `--hostname h`). */
const VALUE_FLAGS = new Set([
  "accept-risk",
  "advertise-routes",
  "advertise-tags",
  "audience",
  "auth-key",
  "authkey",
  "client-id",
  "client-secret",
  "exit-node",
  "hostname",
  "id-token",
  "login-server",
  "netfilter-mode",
  "operator",
  "qr-format",
  "timeout",
]);

/** Flags of the `tailscale` command itself, allowed before `up`. */
const GLOBAL_VALUE_FLAGS = new Set(["socket"]);

const SHELL_KEYWORDS = new Set(["!", "{", "if", "then", "else", "elif", "do", "while", "until"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const GO_BOOLEAN = /^(1|0|t|f|true|false)$/i;

/** The words after the command wrappers (`sudo -u root`, `env A=b`, `VAR=x`, `exec`, `command`). */
function commandWords(words: readonly ShellWord[]): readonly ShellWord[] {
  let index = 0;
  for (;;) {
    const text = words[index]?.text;
    if (text === undefined) return [];
    if (SHELL_KEYWORDS.has(text) || ASSIGNMENT.test(text)) index += 1;
    else if (text === "exec" || text === "command") index += 1;
    else if (text === "sudo" || text === "env") {
      index += 1;
      for (;;) {
        const option = words[index]?.text ?? "";
        if (option === "--") index += 1;
        if (option === "--" || !option.startsWith("-")) break;
        const takesValue = text === "sudo" ? /^-[ugpCDrtTUh]$/.test(option) : option === "-u";
        index += takesValue ? 2 : 1;
      }
    } else return words.slice(index);
  }
}

/**
 * Reads one simple command as `tailscale up` would: `undefined` unless `tailscale` is the command
 * word (after `sudo`/`env`/`VAR=value` prefixes) and `up` its subcommand (after the global flag
 * `--socket`). The flags are parsed like Go's `flag` package, which Tailscale's CLI uses: `-x` and
 * `--x` alike, values as `--x=v` or `--x v`, booleans only as `--x` or `--x=true|false`; parsing
 * stops at the first word that is not a flag, and `tailscale up` then exits with "too many non-flag
 * arguments", as it does on a flag it does not define or a flag without its value.
 *
 * @example
 * ```ts
 * readTailscaleUp(parseShellCommands("sudo tailscale up --auth-key=K --ssh")[0] ?? []);
 * // { authKey: { text: "K", expanded: false }, tags: [] }
 * ```
 */
export function readTailscaleUp(words: readonly ShellWord[]): TailscaleUpCommand | undefined {
  const argv = commandWords(words);
  const program = argv[0];
  if (program === undefined || program.expanded || !/(^|\/)tailscale$/.test(program.text)) {
    return undefined;
  }
  let index = 1;
  while (argv[index]?.text.startsWith("-") && argv[index]?.text !== "-") {
    const [name = "", value] = (argv[index]?.text ?? "").replace(/^--?/, "").split(/=(.*)/s);
    if (!GLOBAL_VALUE_FLAGS.has(name)) {
      const runsUp = argv.slice(index + 1).some((word) => word.text === "up");
      return runsUp
        ? { error: `tailscale exits: flag provided but not defined: -${name}` }
        : undefined;
    }
    index += value === undefined ? 2 : 1;
  }
  if (argv[index]?.text !== "up") return undefined;

  const values = new Map<string, ShellWord>();
  const rest = argv.slice(index + 1);
  let position = 0;
  for (; position < rest.length; position += 1) {
    const word = rest[position] as ShellWord;
    if (word.text === "--") {
      position += 1;
      break;
    }
    if (!word.text.startsWith("-") || word.text === "-") break;
    const body = word.text.replace(/^--?/, "");
    const separator = body.indexOf("=");
    const name = separator < 0 ? body : body.slice(0, separator);
    if (name === "" || name.startsWith("-")) {
      return { error: `tailscale up exits: bad flag syntax: ${word.text.split("=")[0]}` };
    }
    if (BOOLEAN_FLAGS.has(name)) {
      const value = separator < 0 ? "true" : body.slice(separator + 1);
      if (!GO_BOOLEAN.test(value)) {
        return { error: `tailscale up exits: invalid boolean value for flag -${name}` };
      }
    } else if (VALUE_FLAGS.has(name)) {
      const value: ShellWord | undefined =
        separator < 0
          ? rest[position + 1]
          : { text: body.slice(separator + 1), expanded: word.expanded };
      if (value === undefined)
        return { error: `tailscale up exits: flag needs an argument: -${name}` };
      if (separator < 0) position += 1;
      values.set(name, value);
    } else {
      return { error: `tailscale up exits: flag provided but not defined: -${name}` };
    }
  }
  if (position < rest.length) {
    return {
      error: `tailscale up exits: too many non-flag arguments (flag parsing stops at its argument ${position + 1}, the first that is not a flag; a boolean flag such as --ssh takes no separate value)`,
    };
  }
  const tags = values.get("advertise-tags")?.text;
  const hostname = values.get("hostname")?.text;
  return {
    authKey: values.get("auth-key") ?? values.get("authkey"),
    ...(hostname !== undefined ? { hostname } : {}),
    tags:
      tags
        ?.split(",")
        .map((tag) => tag.trim())
        .filter(Boolean) ?? [],
  };
}
