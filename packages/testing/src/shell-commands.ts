/**
 * One word of a shell command after quote removal. `expanded` is true when part of it is a
 * parameter expansion or command substitution (`$KEY`, `${KEY}`, `$(cat /run/k)`, `` `...` ``),
 * whose value only the running shell knows; `text` then holds that part as written.
 *
 * @example
 * ```ts
 * const word: ShellWord = { text: "--auth-key=tskey-auth-abc", expanded: false };
 * ```
 */
export interface ShellWord {
  text: string;
  expanded: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const SPECIAL_PARAMETER = /[0-9@*#?$!-]/;

/** Where the expansion starting at `start` (`$` or a backtick) ends, or `undefined` for a literal `$`. */
function expansionEnd(script: string, start: number): number | undefined {
  const first = script[start];
  const next = script[start + 1] ?? "";
  if (first === "`") {
    let index = start + 1;
    while (index < script.length && script[index] !== "`") index += script[index] === "\\" ? 2 : 1;
    return Math.min(index + 1, script.length);
  }
  if (next === "(" || next === "{") {
    const close = next === "(" ? ")" : "}";
    let depth = 0;
    for (let index = start + 1; index < script.length; index += 1) {
      if (script[index] === next) depth += 1;
      else if (script[index] === close) {
        depth -= 1;
        if (depth === 0) return index + 1;
      }
    }
    return script.length;
  }
  if (NAME_START.test(next)) {
    let index = start + 2;
    while (index < script.length && NAME_PART.test(script[index] ?? "")) index += 1;
    return index;
  }
  return SPECIAL_PARAMETER.test(next) && next !== "" ? start + 2 : undefined;
}

/**
 * Splits a POSIX shell script into the simple commands it runs, in order, each as its words after
 * quote removal: single and double quotes, backslash escapes, adjacent quoted and unquoted pieces
 * joined into one word (`--auth-key="tskey-..."` is one word), `#` comments dropped, lines ending in
 * `\` joined, commands separated at newlines, `;`, `&&`, `||`, `|`, `&` and parentheses.
 * Redirections (`> file`, `2>&1`, `<<EOF` with its here-document) are left out of the words.
 * Expansions are not evaluated: a word holding one is marked {@link ShellWord.expanded}.
 * Compound commands are not interpreted beyond that: `if`, `then`, `do`, ... stay as words.
 *
 * @example
 * ```ts
 * parseShellCommands(`tailscale up --hostname='web-1' && echo ok # done`);
 * // [[{ text: "tailscale", ... }, { text: "up", ... }, { text: "--hostname=web-1", ... }],
 * //  [{ text: "echo", ... }, { text: "ok", ... }]]
 * ```
 */
export function parseShellCommands(script: string): ShellWord[][] {
  const commands: ShellWord[][] = [];
  let command: ShellWord[] = [];
  let word: ShellWord | undefined;
  let redirect: "file" | "here-document" | "here-document-tabs" | undefined;
  const hereDocuments: { delimiter: string; stripTabs: boolean }[] = [];

  const append = (text: string, expanded = false): void => {
    word ??= { text: "", expanded: false };
    word.text += text;
    if (expanded) word.expanded = true;
  };
  const endWord = (): void => {
    if (word === undefined) return;
    if (redirect === undefined) command.push(word);
    else if (redirect !== "file") {
      hereDocuments.push({ delimiter: word.text, stripTabs: redirect === "here-document-tabs" });
    }
    redirect = undefined;
    word = undefined;
  };
  const endCommand = (): void => {
    endWord();
    if (command.length > 0) commands.push(command);
    command = [];
  };

  let index = 0;
  while (index < script.length) {
    const character = script[index] ?? "";
    const next = script[index + 1];
    if (character === "\\") {
      if (next !== "\n" && next !== undefined) append(next);
      index += 2;
    } else if (character === "'") {
      const close = script.indexOf("'", index + 1);
      const end = close < 0 ? script.length : close;
      append(script.slice(index + 1, end));
      index = end + 1;
    } else if (character === '"') {
      append("");
      index += 1;
      while (index < script.length && script[index] !== '"') {
        const inner = script[index] ?? "";
        const escaped = script[index + 1] ?? "";
        if (inner === "\\" && escaped === "\n") index += 2;
        else if (inner === "\\" && '$`"\\'.includes(escaped) && escaped !== "") {
          append(escaped);
          index += 2;
        } else if (inner === "$" || inner === "`") {
          const end = expansionEnd(script, index);
          append(script.slice(index, end ?? index + 1), end !== undefined);
          index = end ?? index + 1;
        } else {
          append(inner);
          index += 1;
        }
      }
      index += 1;
    } else if (character === "$" || character === "`") {
      const end = expansionEnd(script, index);
      append(script.slice(index, end ?? index + 1), end !== undefined);
      index = end ?? index + 1;
    } else if (character === " " || character === "\t" || character === "\r") {
      endWord();
      index += 1;
    } else if (character === "\n") {
      endCommand();
      index += 1;
      for (const { delimiter, stripTabs } of hereDocuments.splice(0)) {
        while (index < script.length) {
          const lineEnd = script.indexOf("\n", index);
          const end = lineEnd < 0 ? script.length : lineEnd;
          const line = script.slice(index, end);
          index = end + 1;
          if ((stripTabs ? line.replace(/^\t+/, "") : line) === delimiter) break;
        }
      }
    } else if (character === "#" && word === undefined) {
      const lineEnd = script.indexOf("\n", index);
      index = lineEnd < 0 ? script.length : lineEnd;
    } else if (";&|()".includes(character)) {
      endCommand();
      index += character === next && (character === "&" || character === "|") ? 2 : 1;
    } else if (character === ">" || character === "<") {
      // A word of digits right before the operator is its file descriptor, not an argument.
      if (word !== undefined && !word.expanded && /^\d+$/.test(word.text)) word = undefined;
      endWord();
      const operator = /^(<<-|<<|<>|<&|<|>>|>&|>\||>)/.exec(script.slice(index))?.[0] ?? character;
      redirect =
        operator === "<<" ? "here-document" : operator === "<<-" ? "here-document-tabs" : "file";
      index += operator.length;
    } else {
      append(character);
      index += 1;
    }
  }
  endCommand();
  return commands;
}
