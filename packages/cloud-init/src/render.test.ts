import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CloudConfigError } from "./errors.js";
import { preview, render } from "./render.js";
import { secret } from "./secret.js";
import type { CloudConfig } from "./types.js";

describe("render", () => {
  it("starts with #cloud-config and renders the same data", () => {
    const config: CloudConfig = {
      hostname: "a",
      packages: ["git"],
      runcmd: ["echo hi", ["ls", "-l"]],
    };
    const text = render(config);
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    expect(parse(text)).toEqual(config);
  });

  it("renders an empty config as an empty mapping", () => {
    expect(render({})).toBe("#cloud-config\n{}\n");
  });

  it("quotes strings YAML 1.1 would read as booleans, numbers, nulls or dates", () => {
    const text = render({
      write_files: [{ path: "/a", content: "yes", permissions: "0644", owner: "on" }],
    });
    expect(text).toContain('content: "yes"');
    expect(text).toContain('permissions: "0644"');
    expect(text).toContain('owner: "on"');
    expect(render({ final_message: "=" })).toContain('final_message: "="');
    expect(render({ final_message: "<<" })).toContain('final_message: "<<"');
  });

  it("writes multi-line content as a literal block and escapes YAML 1.1 line breaks", () => {
    expect(render({ write_files: [{ path: "/a", content: "line 1\nline 2\n" }] })).toContain(
      "content: |\n      line 1\n      line 2\n",
    );
    expect(render({ final_message: "a\u2028b\u0085c" })).toContain(
      'final_message: "a\\u2028b\\x85c"',
    );
  });

  it("writes argv commands as flow sequences, quoting what PyYAML would split", () => {
    const text = render({ runcmd: [["tailscale", "up", "--ssh", "--auth-key=file:/x", "a,b"]] });
    expect(text).toContain('- [ tailscale, up, --ssh, "--auth-key=file:/x", "a,b" ]');
  });

  it("orders top-level keys by boot stage and keeps unknown keys after them", () => {
    const text = render({ runcmd: ["x"], custom_key: 1, hostname: "h" } as CloudConfig);
    expect(Object.keys(parse(text))).toEqual(["hostname", "runcmd", "custom_key"]);
  });

  it("writes secrets in full; preview writes ***", () => {
    const config: CloudConfig = {
      write_files: [{ path: "/k", content: secret("hunter2") }],
      runcmd: [["curl", secret("https://x/?token=abc")]],
      phone_home: { url: secret("https://example.com/?t=zzz") },
    };
    expect(parse(render(config)).write_files[0].content).toBe("hunter2");
    const shown = preview(config);
    expect(shown).not.toMatch(/hunter2|token=abc|t=zzz/);
    expect(parse(shown)).toEqual({
      write_files: [{ path: "/k", content: "***" }],
      runcmd: [["curl", "***"]],
      phone_home: { url: "***" },
    });
  });

  it.each([
    ["a function", { final_message: () => "x" }, "final_message"],
    ["NaN", { swap: { size: Number.NaN } }, "swap.size"],
    ["a Date", { write_files: [{ path: "/a", content: new Date(0) }] }, "write_files[0].content"],
    ["a bigint", { runcmd: [[1n]] }, "runcmd[0][0]"],
  ])("refuses %s, naming the field", (_what, config, path) => {
    expect(() => render(config as unknown as CloudConfig)).toThrow(CloudConfigError);
    expect(() => render(config as unknown as CloudConfig)).toThrow(path);
  });

  it("refuses a circular structure", () => {
    const list: unknown[] = [];
    list.push(list);
    expect(() => render({ runcmd: list } as CloudConfig)).toThrow(/circular/);
  });

  it("refuses scripts without the mime format", () => {
    expect(() => render({}, { scripts: [{ content: "#!/bin/sh\n" }] })).toThrow(/format: "mime"/);
  });
});

describe("render with format mime", () => {
  function decodeParts(mime: string) {
    const boundary = /boundary="([^"]+)"/.exec(mime)?.[1] ?? "";
    return mime
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => {
        const [head = "", body = ""] = part.split("\n\n");
        return { head, body: Buffer.from(body.replaceAll("\n", ""), "base64").toString("utf8") };
      });
  }

  it("packs the cloud-config and each script as base64 parts", () => {
    const script = "#!/bin/bash\necho 'héllo: --boundary'\n";
    const mime = render({ hostname: "h" }, { format: "mime", scripts: [{ content: script }] });
    expect(mime.startsWith("Content-Type: multipart/mixed; boundary=")).toBe(true);
    const parts = decodeParts(mime);
    expect(parts).toHaveLength(2);
    expect(parts[0]?.head).toContain("Content-Type: text/cloud-config");
    expect(parts[0]?.body).toBe(render({ hostname: "h" }));
    expect(parts[1]?.head).toContain("Content-Type: text/x-shellscript");
    expect(parts[1]?.head).toContain('filename="script-1.sh"');
    expect(parts[1]?.body).toBe(script);
    expect(mime.trimEnd().endsWith("--")).toBe(true);
  });

  it("is deterministic and redacts secrets in preview", () => {
    const options = {
      format: "mime" as const,
      scripts: [{ content: secret("#!/bin/sh\necho s3cr3t\n") }],
    };
    expect(render({}, options)).toBe(render({}, options));
    const parts = decodeParts(preview({}, options));
    expect(parts[1]?.body).toBe("***");
  });

  it.each([
    [{ content: "echo no shebang" }, /#!/],
    [{ content: "#!/bin/sh\n", filename: "../evil" }, /filename/],
  ])("rejects a bad script %#", (script, message) => {
    expect(() => render({}, { format: "mime", scripts: [script] })).toThrow(message);
  });
});
