/** Checks of the `bootReport` option: where the VM reports its boot, and who receives it. */

const TAILNET_IPV4 = /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d{1,3}\.\d{1,3}$/;
const TAILNET_IPV6 = /^\[fd7a:115c:a1e0:/i;
const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;
const PRIVATE_IPV4 = /^(10\.\d{1,3}|172\.(1[6-9]|2\d|3[01])|192\.168)\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether a report to `url` may go over plain HTTP: on the tailnet (a 100.64.0.0/10 or
 * fd7a:115c:a1e0::/48 address, or a MagicDNS `*.ts.net` name, which WireGuard already encrypts),
 * to a private address (10/8, 172.16/12, 192.168/16: a Hetzner private network does not cross the
 * internet) or to this machine. Anywhere else the run's token would cross the internet in the clear.
 */
function mayUseHttp(host: string): boolean {
  return (
    [TAILNET_IPV4, TAILNET_IPV6, PRIVATE_IPV4, LOOPBACK].some((pattern) => pattern.test(host)) ||
    host.endsWith(".ts.net")
  );
}

export function validateBootReport(
  value: unknown,
  problem: (field: string, message: string) => void,
): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problem("bootReport", "must be an object { url, source }");
    return;
  }
  const { url, source, ...rest } = value as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    problem(`bootReport.${key}`, "is not an option (allowed: url, source)");
  }
  if (typeof url !== "string" || !URL.canParse(url)) {
    problem("bootReport.url", "must be an absolute https:// URL the VM can reach");
  } else {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" && !mayUseHttp(parsed.hostname)) {
      problem(
        "bootReport.url",
        `must use https:// (plain http:// only to a tailnet address, a *.ts.net name, a private address or loopback); got http://${parsed.host}`,
      );
    } else if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      problem("bootReport.url", `must be an https:// URL; got ${parsed.protocol}`);
    } else if (parsed.username !== "" || parsed.password !== "") {
      problem(
        "bootReport.url",
        "must not carry credentials: the run's token authenticates the report",
      );
    }
  }
  const expect = (source as { expect?: unknown } | null | undefined)?.expect;
  if (typeof expect !== "function") {
    problem(
      "bootReport.source",
      "must be a BootReportSource ({ expect(token, signal) }), e.g. createBootReportInbox()",
    );
  }
}
