import { describe, expect, it } from "vitest";
import { createBootReportInbox, parseBootReport } from "./boot-report-inbox.js";

const report = {
  version: 1,
  result: "error",
  instanceId: "4200001",
  hostname: "runner-1",
  cloudInitVersion: "22.4.2",
  uptimeSeconds: 81.5,
  failed: { stage: "init", module: "bootcmd", error: "ProcessExecutionError: exit 1" },
  errors: [{ stage: "init", module: "bootcmd", error: "ProcessExecutionError: exit 1" }],
  warnings: [],
};

const post = (token: string | undefined, body: unknown, method = "POST") =>
  new Request("https://ci.example.com/boot-reports", {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    ...(method === "POST" ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });

describe("createBootReportInbox", () => {
  it("hands a report to the run waiting with its token, once", async () => {
    const inbox = createBootReportInbox();
    const waiting = inbox.expect("token-a", new AbortController().signal);
    expect(inbox.waiting).toBe(1);
    expect((await inbox.handle(post("token-a", report))).status).toBe(202);
    await expect(waiting).resolves.toEqual(report);
    expect(inbox.waiting).toBe(0);
    // A second report with the same token finds nobody waiting.
    expect((await inbox.handle(post("token-a", report))).status).toBe(401);
  });

  it("refuses a missing or unknown token without reading the body, and another method", async () => {
    const inbox = createBootReportInbox();
    const waiting = inbox.expect("token-a", new AbortController().signal);
    expect((await inbox.handle(post(undefined, report))).status).toBe(401);
    expect((await inbox.handle(post("token-b", report))).status).toBe(401);
    const get = await inbox.handle(post("token-a", undefined, "GET"));
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(inbox.waiting).toBe(1);
    void waiting;
  });

  it("answers 400 for a body that is not a version 1 report, and keeps waiting", async () => {
    const inbox = createBootReportInbox();
    void inbox.expect("token-a", new AbortController().signal);
    const bad = await inbox.handle(post("token-a", { ...report, version: 2 }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: "version must be 1" });
    expect((await inbox.handle(post("token-a", "not json"))).status).toBe(400);
    expect((await inbox.handle(post("token-a", "x".repeat(70_000)))).status).toBe(413);
    expect(inbox.waiting).toBe(1);
  });

  it("forgets a run whose signal aborts, rejecting with the signal's reason", async () => {
    const inbox = createBootReportInbox();
    const controller = new AbortController();
    const waiting = inbox.expect("token-a", controller.signal);
    controller.abort(new Error("the run has ended"));
    await expect(waiting).rejects.toThrow("the run has ended");
    expect(inbox.waiting).toBe(0);
    expect((await inbox.handle(post("token-a", report))).status).toBe(401);
  });
});

describe("parseBootReport", () => {
  it("takes the documented fields, cutting long texts", () => {
    const long = { ...report, failed: { ...report.failed, error: "e".repeat(5_000) } };
    const parsed = parseBootReport(JSON.stringify(long));
    expect(typeof parsed === "object" && parsed.failed?.error.length).toBe(2_000);
  });

  it("says what is wrong with a malformed report", () => {
    expect(parseBootReport("[]")).toBe("the body is not a JSON object");
    expect(parseBootReport(JSON.stringify({ ...report, result: "maybe" }))).toBe(
      'result must be "done" or "error"',
    );
    expect(parseBootReport(JSON.stringify({ ...report, failed: { stage: "boot" } }))).toBe(
      "failed must be null or { stage, module, error }",
    );
    expect(parseBootReport(JSON.stringify({ ...report, errors: [1] }))).toBe(
      "errors must be a list of { stage, module, error }",
    );
  });
});
