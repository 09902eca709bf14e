import argparse, hashlib, os, sys, time, urllib.error, urllib.request
p = argparse.ArgumentParser(prog="tailvm-tailscale-keyring")
for name in ("repository", "fingerprint", "keyring"):
    p.add_argument("--" + name, required=True)
p.add_argument("--attempts", type=int, default=6)
p.add_argument("--retry-delay", type=float, default=2.0)
p.add_argument("--os-release", default="/etc/os-release")
a = p.parse_args()
def say(text):
    print("tailvm: tailscale keyring: " + text, file=sys.stderr, flush=True)
def fail(code, text):
    say("ERROR: " + text)
    sys.exit(code)
def fingerprints(data):
    found, i = [], 0
    while i < len(data):
        first = data[i]
        i += 1
        if not first & 0x80:
            raise ValueError("not a binary OpenPGP keyring")
        if first & 0x40:
            tag, octet = first & 0x3F, data[i]
            i += 1
            if octet < 192:
                size = octet
            elif octet < 224:
                size, i = ((octet - 192) << 8) + data[i] + 192, i + 1
            elif octet == 255:
                size, i = int.from_bytes(data[i:i + 4], "big"), i + 4
            else:
                raise ValueError("partial-length packet in a keyring")
        else:
            tag, width = (first >> 2) & 0x0F, first & 3
            if width == 3:
                raise ValueError("indeterminate-length packet in a keyring")
            width = 1 << width
            size, i = int.from_bytes(data[i:i + width], "big"), i + width
        body, i = data[i:i + size], i + size
        if len(body) != size:
            raise ValueError("truncated keyring")
        if tag == 6:
            if body[:1] != b"\x04":
                raise ValueError("primary key is not an OpenPGP v4 key")
            found.append(hashlib.sha1(b"\x99" + size.to_bytes(2, "big") + body).hexdigest().upper())
    return found
def trusted(data):
    keys = fingerprints(data)
    return len(keys) > 0 and all(key == a.fingerprint for key in keys), keys
def fetch(url):
    for attempt in range(1, a.attempts + 1):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "tailvm-tailscale-keyring"})
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.read(1 << 20)
        except urllib.error.HTTPError as error:
            if error.code not in (408, 429) and error.code < 500:
                fail(3, "%s answered HTTP %d; check the repository URL and the distribution" % (url, error.code))
            problem = "HTTP %d" % error.code
        except (urllib.error.URLError, OSError) as error:
            problem = str(getattr(error, "reason", error))
        if attempt == a.attempts:
            fail(4, "could not fetch %s after %d attempts (last: %s)" % (url, a.attempts, problem))
        wait = min(a.retry_delay * 2 ** (attempt - 1), 30)
        say("attempt %d of %d failed (%s); retrying in %gs" % (attempt, a.attempts, problem, wait))
        time.sleep(wait)
try:
    with open(a.keyring, "rb") as existing:
        if trusted(existing.read())[0]:
            say("%s already holds key %s" % (a.keyring, a.fingerprint))
            sys.exit(0)
except (OSError, ValueError):
    pass
try:
    with open(a.os_release) as release:
        fields = dict(line.rstrip("\n").split("=", 1) for line in release if "=" in line)
    codename = fields["VERSION_CODENAME"].strip("\"'")
except (OSError, KeyError) as error:
    fail(5, "cannot tell the release codename from %s (%s)" % (a.os_release, error))
url = "%s/%s.noarmor.gpg" % (a.repository.rstrip("/"), codename)
data = fetch(url)
try:
    ok, keys = trusted(data)
except ValueError as error:
    fail(5, "%s is not a usable keyring: %s" % (url, error))
if not ok:
    fail(2, "FINGERPRINT MISMATCH: %s holds %s, expected %s. The key was not installed, so apt will not trust the repository and tailscale will not be installed." % (url, ", ".join(keys) or "no key", a.fingerprint))
os.makedirs(os.path.dirname(a.keyring), mode=0o755, exist_ok=True)
partial = a.keyring + ".partial"
with open(partial, "wb") as out:
    out.write(data)
os.chmod(partial, 0o644)
os.replace(partial, a.keyring)
say("installed %s from %s (key %s)" % (a.keyring, url, a.fingerprint))
