import type { Reporter } from "../src/reporter.js";

/** A reporter that records every call in order; `texts(method)` lists what one method was given. */
export function recordingReporter() {
  const calls: { method: keyof Reporter; text: string }[] = [];
  const state: Record<string, string> = {};
  const record =
    (method: keyof Reporter) =>
    (text = "") => {
      calls.push({ method, text });
    };
  const reporter: Reporter = {
    mask: record("mask"),
    info: record("info"),
    warning: record("warning"),
    debug: () => undefined,
    startGroup: record("startGroup"),
    endGroup: record("endGroup"),
    setOutput: (name, value) => calls.push({ method: "setOutput", text: `${name}=${value}` }),
    saveState: (name, value) => {
      state[name] = value;
    },
    fail: record("fail"),
    writeSummary: async (markdown) => {
      calls.push({ method: "writeSummary", text: markdown });
    },
  };
  const texts = (method: keyof Reporter) =>
    calls.filter((call) => call.method === method).map((call) => call.text);
  return { reporter, calls, state, texts };
}
