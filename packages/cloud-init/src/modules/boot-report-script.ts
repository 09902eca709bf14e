import program from "./boot-report.py";

/**
 * The Python program `bootReport()` runs once cloud-init's final stage has finished (a transient
 * systemd unit ordered after cloud-final.service). It reads /run/cloud-init/status.json, builds a
 * {@link BootReport}, POSTs it with the token from the settings file, retries network failures,
 * 408, 429 and 5xx, and deletes the settings file in every case.
 *
 * Exit codes: 0 delivered, 2 no settings, 3 refused (another 4xx), 4 retries exhausted.
 */
export const BOOT_REPORT_SCRIPT: string = program;
