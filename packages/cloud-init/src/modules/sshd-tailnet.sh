#!/bin/sh
# Written by @tailvm/cloud-init: sshd listens only on this machine's tailnet addresses.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
root="${1:-}"
sysctl_file="$root/etc/sysctl.d/60-tailvm-nonlocal-bind.conf"
sshd_file="$root/etc/ssh/sshd_config.d/05-tailvm-tailnet.conf"
socket_file="$root/etc/systemd/system/ssh.socket.d/tailvm-tailnet.conf"
say() { echo "tailvm: sshd: $*" >&2; }
status=0

# sshd and ssh.socket may start before tailscale0 has its address, on this boot and every later one.
sysctl -q -p "$sysctl_file" || say "could not apply $sysctl_file"

addresses=""
for address in $( { tailscale ip -4; tailscale ip -6; } 2>/dev/null ); do
  case "$address" in
    *[!0-9A-Fa-f:.]*) say "ignoring $address: not an IP address" ;;
    *) addresses="$addresses $address" ;;
  esac
done
if [ -z "$addresses" ]; then
  say "ERROR: no tailnet address (did tailscale up fail?); sshd listens on loopback only"
  addresses=" 127.0.0.1 ::1"
  status=1
fi

port="$(sshd -T 2>/dev/null | awk '$1 == "port" { print $2; exit }')"
case "$port" in
  '' | *[!0-9]*) port=22 ;;
esac

replace() {
  mkdir -p "$(dirname "$1")" && cat > "$1.tmp" && mv "$1.tmp" "$1"
}

{
  echo "# Written by tailvm-sshd-tailnet: listen on the tailnet only (defence in depth)."
  for address in $addresses; do echo "ListenAddress $address"; done
} | replace "$sshd_file" || status=1

if systemctl is-enabled --quiet ssh.socket 2>/dev/null || systemctl is-active --quiet ssh.socket 2>/dev/null; then
  {
    echo "# Written by tailvm-sshd-tailnet: sorts after the generator's addresses.conf."
    echo "[Socket]"
    echo "ListenStream="
    for address in $addresses; do
      case "$address" in
        *:*) echo "ListenStream=[$address]:$port" ;;
        *) echo "ListenStream=$address:$port" ;;
      esac
    done
    echo "FreeBind=yes"
  } | replace "$socket_file" || status=1
  systemctl daemon-reload || status=1
  systemctl stop ssh.service
  systemctl restart ssh.socket || status=1
else
  systemctl restart ssh.service || status=1
fi
say "listening on$addresses port $port"
exit $status
