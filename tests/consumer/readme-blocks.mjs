/**
 * The ```ts blocks of a Markdown text, with the line each starts on. A block directly after the
 * line `<!-- fragment -->` cannot stand alone (it continues another block) and is marked so.
 */
export function extractTypeScriptBlocks(markdown) {
  const lines = markdown.split("\n");
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[index])) continue;
    const start = index;
    const body = [];
    for (index += 1; index < lines.length && !/^```\s*$/.test(lines[index]); index++) {
      body.push(lines[index]);
    }
    let previous = start - 1;
    while (previous >= 0 && lines[previous].trim() === "") previous -= 1;
    blocks.push({
      line: start + 1,
      code: body.join("\n"),
      fragment: previous >= 0 && lines[previous].trim() === "<!-- fragment -->",
    });
  }
  return blocks;
}
