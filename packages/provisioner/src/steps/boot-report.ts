import { randomBytes } from "node:crypto";
import type { BootReport } from "@tailvm/cloud-init";
import { anySignal } from "@tailvm/internal";
import { StepFailure } from "../classify-failure.js";
import type { Run } from "../run.js";

/** A token for one VM's report: 32 random bytes, base64url (43 characters). */
function newBootReportToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What a failed boot's report says, as the run's failure. */
export function bootFailure(report: BootReport): StepFailure {
  const failed = report.failed ?? report.errors[0];
  const where = failed
    ? `${failed.module === null ? "cloud-init" : `the ${failed.module} module`} (stage ${failed.stage})`
    : "cloud-init";
  const error = failed ? `: ${failed.error}` : "";
  return new StepFailure(
    "boot_failed",
    `the VM reported that its boot failed in ${where}${error}. The server's console log (/var/log/cloud-init-output.log) has the rest.`,
  );
}

/**
 * With `bootReport` set, makes the run's token (redacted from every event and log from here on)
 * and starts waiting on the source for the report sent with it: an `error` report fails the run
 * at once, whatever step is waiting; a `done` report is logged. The wait ends with the run.
 * Returns the token, or `undefined` without `bootReport`.
 */
export function watchBootReport(run: Run): string | undefined {
  const options = run.options.bootReport;
  if (!options) return undefined;
  const token = newBootReportToken();
  run.secretCreated(token);
  options.source.expect(token, anySignal(run.signal, run.ended)).then(
    (report) => {
      if (report.result === "error") {
        run.fail(bootFailure(report));
        return;
      }
      run.reporter.log(
        "info",
        `the VM reported its boot done (cloud-init ${report.cloudInitVersion ?? "of unknown version"}, ${report.uptimeSeconds} s after power-on)`,
      );
    },
    () => undefined,
  );
  return token;
}
