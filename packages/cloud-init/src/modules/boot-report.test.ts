import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CloudConfigValidationError } from "../errors.js";
import { preview, render } from "../render.js";
import { isSecret, secret } from "../secret.js";
import { BOOT_REPORT_SETTINGS_PATH, bootReport } from "./boot-report.js";
import { BOOT_REPORT_SCRIPT } from "./boot-report-script.js";

const TOKEN = "run-token-Abc123";
const URL_WITH_SECRET = "https://ci.example.com/boot/run-42?sig=s3cr3t";

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CloudConfigValidationError) {
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain("s3cr3t");
      return error.issues.map((issue) => issue.path);
    }
    throw error;
  }
  throw new Error("expected a CloudConfigValidationError");
}

describe("bootReport", () => {
  it("writes the settings to a root-only file, as a secret", () => {
    const config = bootReport({ url: URL_WITH_SECRET, token: TOKEN, tries: 3 });
    const [file] = config.write_files ?? [];
    expect(file).toMatchObject({
      path: BOOT_REPORT_SETTINGS_PATH,
      owner: "root:root",
      permissions: "0600",
      defer: false,
    });
    expect(isSecret(file?.content)).toBe(true);
    const content = isSecret(file?.content) ? file.content.reveal() : "";
    expect(JSON.parse(content)).toEqual({ url: URL_WITH_SECRET, token: TOKEN, tries: 3 });
    expect(BOOT_REPORT_SETTINGS_PATH).toBe("/run/tailvm/boot-report.json");
  });

  it("writes the program and queues it once per instance after cloud-final from bootcmd", () => {
    const config = bootReport({ url: "https://ci.example.com/boot", token: TOKEN });
    expect(config.bootcmd).toEqual([
      `mkdir -p /usr/local/lib/tailvm && cat > /usr/local/lib/tailvm/boot-report.py <<'TAILVM_BOOT_REPORT'\n${BOOT_REPORT_SCRIPT}TAILVM_BOOT_REPORT\n`,
      [
        "cloud-init-per",
        "instance",
        "tailvm-boot-report",
        "systemd-run",
        "--no-block",
        "--unit=tailvm-boot-report",
        "--description=tailvm boot report",
        "--property=After=cloud-final.service",
        "--service-type=oneshot",
        "/usr/bin/python3",
        "/usr/local/lib/tailvm/boot-report.py",
        "/run/tailvm/boot-report.json",
      ],
    ]);
    const content = config.write_files?.[0]?.content;
    const settings = JSON.parse(isSecret(content) ? content.reveal() : "{}");
    expect(settings.tries).toBe(5);
  });

  it("keeps the URL and token out of the commands and the preview", () => {
    const config = bootReport({ url: secret(URL_WITH_SECRET), token: secret(TOKEN) });
    expect(JSON.stringify(config.bootcmd)).not.toMatch(/s3cr3t|run-token/);
    const shown = preview(config);
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain("s3cr3t");
    const rendered = parse(render(config));
    expect(rendered.write_files[0].content).toContain(TOKEN);
  });

  it.each([
    [["url"], { url: "ftp://example.com/x" }],
    [["url"], { url: "/relative" }],
    [["token"], { token: "" }],
    [["token"], { token: "has space" }],
    [["token"], { token: secret("tab\tinside") }],
    [["token"], { token: "é" }],
    [["tries"], { tries: 0 }],
    [["tries"], { tries: 21 }],
    [["tries"], { tries: 1.5 }],
    [["url", "token"], { url: "nope", token: "" }],
  ])("rejects %j naming the field", (paths, override) => {
    expect(issuesOf(() => bootReport({ url: URL_WITH_SECRET, token: TOKEN, ...override }))).toEqual(
      paths,
    );
  });
});
