#!/usr/bin/python3
"""tailvm boot-check collector: waits until the boot has finished (cloud-init's final stage and every
other start job), writes what cloud-init did to /var/lib/tailvm-boot-check/result.json, copies the
files the host reads back with debugfs, and powers off."""
import base64, grp, hashlib, json, os, pwd, shutil, subprocess

OUT = "/var/lib/tailvm-boot-check"
CONTENT_LIMIT = 256 * 1024


def start(argv):
    try:
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as error:
        return error


def finish(process, timeout=300):
    if isinstance(process, OSError):
        return {"code": None, "stdout": "", "stderr": str(process)}
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        process.kill()
        return {"code": None, "stdout": "", "stderr": str(error)}
    return {"code": process.returncode, "stdout": stdout, "stderr": stderr}


def run(argv, timeout=300):
    return finish(start(argv), timeout)


def read_json(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def name_of(lookup, number):
    try:
        return lookup(number)[0]
    except KeyError:
        return str(number)


def describe(path):
    try:
        info = os.lstat(path)
    except OSError:
        return {"path": path, "exists": False}
    entry = {
        "path": path,
        "exists": True,
        "mode": "%04o" % (info.st_mode & 0o7777),
        "owner": "%s:%s" % (name_of(pwd.getpwuid, info.st_uid), name_of(grp.getgrgid, info.st_gid)),
        "size": info.st_size,
    }
    if os.path.isfile(path):
        with open(path, "rb") as handle:
            data = handle.read()
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        if len(data) <= CONTENT_LIMIT:
            entry["contentBase64"] = base64.b64encode(data).decode()
    return entry


def write_files_paths():
    try:
        import yaml

        with open("/var/lib/cloud/instance/cloud-config.txt") as handle:
            config = yaml.safe_load(handle) or {}
    except Exception:
        return []
    entries = config.get("write_files") or []
    return [entry["path"] for entry in entries if isinstance(entry, dict) and "path" in entry]


def main():
    os.makedirs(OUT, exist_ok=True)
    waited = run(["timeout", "1500", "systemctl", "is-system-running", "--wait"], timeout=1600)
    uptime = float(open("/proc/uptime").read().split()[0])
    # Each cloud-init command is a slow Python start under emulation: run the two side by side.
    status, schema = start(["cloud-init", "status", "--long"]), start(["cloud-init", "schema", "--system"])
    version = run(["dpkg-query", "-W", "-f", "${Version}", "cloud-init"])["stdout"]
    result = {
        "systemState": waited["stdout"].strip(),
        "uptimeSeconds": uptime,
        "cloudInitVersion": version.strip(),
        "status": finish(status),
        "statusJson": read_json("/run/cloud-init/status.json"),
        "resultJson": read_json("/run/cloud-init/result.json"),
        "schema": finish(schema),
        "failedUnits": run(["systemctl", "list-units", "--failed", "--plain", "--no-legend", "--full"]),
        "files": [describe(path) for path in write_files_paths()],
        "tailscale": {
            "package": run(["dpkg-query", "-W", "-f", "${Status}|${Version}", "tailscale"]),
            "keyring": describe("/usr/share/keyrings/tailscale-archive-keyring.gpg"),
            "sources": describe("/etc/apt/sources.list.d/tailscale.list"),
            "tailscaled": run(["systemctl", "is-active", "tailscaled.service"]),
        },
    }
    with open(os.path.join(OUT, "journal.txt"), "w") as handle:
        handle.write(run(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"])["stdout"])
    for source in ("/var/log/cloud-init.log", "/var/log/cloud-init-output.log", "/var/log/tailscale-stub.jsonl"):
        if os.path.exists(source):
            shutil.copy(source, os.path.join(OUT, os.path.basename(source)))
    with open(os.path.join(OUT, "result.json.partial"), "w") as handle:
        json.dump(result, handle, indent=1)
    os.replace(os.path.join(OUT, "result.json.partial"), os.path.join(OUT, "result.json"))
    os.sync()
    subprocess.run(["systemctl", "poweroff", "--no-block"])


if __name__ == "__main__":
    try:
        main()
    except Exception as error:
        os.makedirs(OUT, exist_ok=True)
        with open(os.path.join(OUT, "collector-error.txt"), "w") as handle:
            handle.write(repr(error))
        os.sync()
        subprocess.run(["systemctl", "poweroff", "--no-block"])
