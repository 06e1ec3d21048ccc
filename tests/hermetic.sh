#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command with its own HOME, XDG directories and no session bus, so
# that no test reads or changes the developer's profiles or keyring.
set -eu

dir=$(mktemp -d "${TMPDIR:-/tmp}/gatepass-test.XXXXXX")
chmod 755 "$dir"    # squid drops to its own user when started as root
# xdg-document-portal (which the window's portal requests start) mounts
# its FUSE file system at $XDG_RUNTIME_DIR/doc and may not have unmounted
# it yet when the bus goes: rm would then fail, and with it the test.
# Mostly it has (set -e: a failed unmount must not be the exit status).
trap '{ fusermount -u -z "$dir/runtime/doc" || true; } 2>/dev/null; rm -rf "$dir"' EXIT

export HOME="$dir/home"
export XDG_CONFIG_HOME="$dir/config"
export XDG_DATA_HOME="$dir/data"
export XDG_STATE_HOME="$dir/state"
export XDG_CACHE_HOME="$dir/cache"
export XDG_RUNTIME_DIR="$dir/runtime"
export GATEPASS_TEST_TMPDIR="$dir/tmp"
# Whatever a test leaves in a temporary folder goes with the test's own.
export TMPDIR="$GATEPASS_TEST_TMPDIR"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" \
         "$XDG_RUNTIME_DIR" "$GATEPASS_TEST_TMPDIR"
chmod 700 "$XDG_RUNTIME_DIR"

# A bus address that leads nowhere: never the developer's own keyring.
export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/no-such-bus"
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
# Proxy variables from the calling environment would change what clients do.
unset http_proxy https_proxy no_proxy all_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY

"$@"
