import program from "./tailscale-keyring.py";

/**
 * The Python program `tailscale()` runs from `bootcmd` to install the repository keyring: it fetches
 * `<repository>/<codename>.noarmor.gpg` (the codename from /etc/os-release), retries network
 * failures, timeouts, 408, 429 and 5xx a bounded number of times, and installs the file (0644) only
 * when every primary key in it has the pinned v4 fingerprint. A keyring already in place with that
 * fingerprint is kept without a request, so later boots need no network. Python because cloud-init
 * itself runs on it: the image needs neither curl, gpg nor dirmngr.
 *
 * Exit codes: 0 installed or already in place, 2 fingerprint mismatch, 3 permanent HTTP error,
 * 4 retries exhausted, 5 unreadable release or keyring.
 */
export const KEYRING_SCRIPT: string = program;
