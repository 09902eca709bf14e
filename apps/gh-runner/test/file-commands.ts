/**
 * Parses a GitHub Actions file-command file (`GITHUB_OUTPUT`, `GITHUB_STATE`, `GITHUB_ENV`) the way
 * the runner does: `name=value` lines, and `name<<DELIMITER` heredocs that run until a line holding
 * exactly the delimiter. A later value for the same name wins. Throws on a malformed file.
 *
 * @example
 * ```ts
 * parseFileCommands("a=1\nb<<EOF\nline 1\nline 2\nEOF\n"); // { a: "1", b: "line 1\nline 2" }
 * ```
 */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    index++;
    if (line === "") continue;
    const heredoc = line.indexOf("<<");
    const equals = line.indexOf("=");
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (delimiter === "") throw new Error(`empty delimiter for ${name}`);
      const body: string[] = [];
      let closed = false;
      while (index < lines.length) {
        const next = lines[index] ?? "";
        index++;
        if (next === delimiter) {
          closed = true;
          break;
        }
        body.push(next);
      }
      if (!closed) throw new Error(`unterminated value for ${name}`);
      values[name] = body.join("\n");
    } else if (equals > 0) {
      values[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new Error(`malformed line: ${line}`);
    }
  }
  return values;
}
