import argparse, json, os, re, socket, sys, time, urllib.error, urllib.request
p = argparse.ArgumentParser(prog="tailvm-boot-report")
p.add_argument("settings")
p.add_argument("--status", default="/run/cloud-init/status.json")
p.add_argument("--instance-id", default="/var/lib/cloud/data/instance-id")
p.add_argument("--retry-delay", type=float, default=2.0)
a = p.parse_args()
STAGES = ("init-local", "init", "modules-config", "modules-final")
def say(text):
    print("tailvm: boot report: " + text, file=sys.stderr, flush=True)
def read(path, default=None):
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return default
try:
    settings = json.loads(read(a.settings) or "")
except ValueError:
    say("ERROR: no settings in %s (write_files did not write them); nothing sent" % a.settings)
    sys.exit(2)
finally:
    try:
        os.remove(a.settings)
    except OSError:
        pass
try:
    status = json.loads(read(a.status, "{}")).get("v1") or {}
except ValueError:
    status = {}
errors, warnings = [], []
for stage in STAGES:
    record = status.get(stage) or {}
    for error in record.get("errors") or []:
        match = re.match(r"^\('([^']+)', (.*)\)$", str(error), re.S)
        errors.append({
            "stage": stage,
            "module": match.group(1) if match else None,
            "error": (match.group(2) if match else str(error))[:2000],
        })
    recoverable = record.get("recoverable_errors") or {}
    for level in sorted(recoverable):
        for message in recoverable[level] or []:
            warnings.append(("%s: %s" % (level, message))[:1000])
try:
    from cloudinit import version as cloud_init_version
    cloud_init = cloud_init_version.version_string()
except Exception:
    cloud_init = None
instance = (read(a.instance_id) or "").strip() or None
report = {
    "version": 1,
    "result": "error" if errors else "done",
    "instanceId": instance,
    "hostname": socket.gethostname(),
    "cloudInitVersion": cloud_init,
    "uptimeSeconds": float((read("/proc/uptime") or "0").split()[0]),
    "failed": errors[0] if errors else None,
    "errors": errors,
    "warnings": warnings,
}
headers = {"Content-Type": "application/json", "User-Agent": "tailvm-boot-report/1"}
if settings.get("token"):
    headers["Authorization"] = "Bearer " + settings["token"]
body = json.dumps(report).encode()
tries = int(settings.get("tries") or 5)
for attempt in range(1, tries + 1):
    try:
        request = urllib.request.Request(settings["url"], data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=20):
            say("sent (%s)" % report["result"])
            sys.exit(0)
    except urllib.error.HTTPError as error:
        if error.code not in (408, 429) and error.code < 500:
            say("ERROR: the receiver refused the report with HTTP %d" % error.code)
            sys.exit(3)
        problem = "HTTP %d" % error.code
    except (urllib.error.URLError, OSError) as error:
        problem = str(getattr(error, "reason", error))
    if attempt < tries:
        say("attempt %d of %d failed (%s); retrying" % (attempt, tries, problem))
        time.sleep(min(a.retry_delay * 2 ** (attempt - 1), 30))
say("ERROR: could not deliver the report after %d attempts (last: %s)" % (tries, problem))
sys.exit(4)
