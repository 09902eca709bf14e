import { describe, expect, it } from "vitest";
import { parseShellCommands } from "./shell-commands.js";

const texts = (script: string) =>
  parseShellCommands(script).map((command) => command.map((word) => word.text));

describe("parseShellCommands", () => {
  it("joins quoted and unquoted pieces into one word and removes the quotes", () => {
    expect(texts(`a --k="v 1" --h='x'y z\\ w "q\\"q" ''`)).toEqual([
      ["a", "--k=v 1", "--h=xy", "z w", 'q"q', ""],
    ]);
  });

  it("drops comments, joins continued lines and splits at separators", () => {
    expect(texts("a # b c\nd \\\n e; f && g || h | i & j\n(k)")).toEqual([
      ["a"],
      ["d", "e"],
      ["f"],
      ["g"],
      ["h"],
      ["i"],
      ["j"],
      ["k"],
    ]);
    expect(texts("echo a#b")).toEqual([["echo", "a#b"]]);
  });

  it("leaves redirections and here-documents out of the words", () => {
    expect(texts("a x > /dev/null 2>&1\ncat <<EOF >f\ntailscale up\nEOF\nb")).toEqual([
      ["a", "x"],
      ["cat"],
      ["b"],
    ]);
  });

  it("marks words holding an expansion without evaluating it", () => {
    const [command] = parseShellCommands(`t --k="$(cat /run/k)" $HOME lit '$X' "$" \`id\``);
    expect(command?.map((word) => [word.text, word.expanded])).toEqual([
      ["t", false],
      ["--k=$(cat /run/k)", true],
      ["$HOME", true],
      ["lit", false],
      ["$X", false],
      ["$", false],
      ["`id`", true],
    ]);
  });
});
