#!/usr/bin/env bash
# Starts GNOME Keyring's Secret Service on the current session bus and returns only once it owns
# org.freedesktop.secrets there.
#   keyring-up.sh --unlock   the login keyring, unlocked (made) with the password read from stdin
#   keyring-up.sh --start    the login keyring as it is on disk (locked, if it has a password)
# Why wait: the daemon forks and its parent returns before the child has claimed the bus name.
# A client that calls in that gap makes D-Bus activate a second daemon, which wins the name with
# the login keyring locked and no password, so the client sees "prompt dismissed" (seen under
# load, 1 run in 14: a flaky test, and an app started by the e2e or installer tests in that gap
# would show a wrongly "locked" keychain).
set -euo pipefail
mode="${1:?usage: keyring-up.sh --unlock|--start}"
case "$mode" in
  --unlock | --start) ;;
  *) echo "keyring-up.sh: unknown mode $mode" >&2; exit 2 ;;
esac
[[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] || { echo "keyring-up.sh: no session bus" >&2; exit 1; }

if [[ "$mode" == --unlock ]]; then
  gnome-keyring-daemon --unlock --components=secrets >/dev/null
else
  gnome-keyring-daemon --start --components=secrets </dev/null >/dev/null
fi

# NameHasOwner never activates a service, so it cannot start the second daemon itself.
owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
for _ in $(seq 300); do
  owned && exit 0
  sleep 0.1
done
echo "keyring-up.sh: gnome-keyring-daemon did not take org.freedesktop.secrets within 30 s" >&2
exit 1
