#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command in a hermetic home (hermetic.sh), inside a private session
# bus (dbus-run-session) that has a real gnome-keyring-daemon with an
# unlocked login keyring. The daemon is stopped when the command ends.
set -eu

here=$(dirname "$(readlink -f "$0")")

if [ -z "${GATEPASS_KEYRING_SESSION:-}" ]; then
  export GATEPASS_KEYRING_SESSION=starting
  # Opt-in (tests/session-bus.sh): a caller that already runs in a hermetic
  # home gives the bus a configuration of its own (more service folders).
  if [ -n "${GATEPASS_BUS_CONFIG:-}" ]; then
    exec dbus-run-session --config-file "$GATEPASS_BUS_CONFIG" -- "$0" "$@"
  fi
  exec "$here/hermetic.sh" dbus-run-session -- "$0" "$@"
fi

export GATEPASS_KEYRING_SESSION=running
export GATEPASS_KEYRING_PASSWORD=gatepass-test-keyring

printf '%s' "$GATEPASS_KEYRING_PASSWORD" |
  gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring_pid=$!
trap 'kill "$keyring_pid" 2>/dev/null || true; wait "$keyring_pid" 2>/dev/null || true' EXIT

# Wait (at most 10 s) until the daemon owns the Secret Service name and
# its login keyring is the default collection. Ask the bus first: calling
# the name while unowned would make the bus activate a second daemon.
has_owner() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true
}

for _ in $(seq 100); do
  if has_owner && gdbus call --session --dest org.freedesktop.secrets \
       --object-path /org/freedesktop/secrets \
       --method org.freedesktop.Secret.Service.ReadAlias default 2>/dev/null |
     grep -q "/org/freedesktop/secrets/collection/"; then
    "$@"
    exit $?
  fi
  sleep 0.1
done

echo "Bail out! gnome-keyring-daemon did not provide a default keyring within 10 s"
exit 1
