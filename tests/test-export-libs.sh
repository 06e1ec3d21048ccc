#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A login script's `export` must not pay for the tester: `gatepass` links
# no libsoup (nor GTK), and none is mapped into it at run time either (a
# GIO module could bring one in), checked in /proc/PID/maps while export
# waits for a frozen gnome-keyring-daemon. The network commands run in
# gatepass-net, which gatepass execs: `test` still works through it, from
# the build tree and installed (meson install --destdir, seen at its real
# prefix through an overlay in a private mount namespace), and a missing
# helper is one clear line and exit 1.
#
# Runs as `keyring-session.sh bash test-export-libs.sh`.

here=${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}
. "$here/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"

work=$GATEPASS_TEST_TMPDIR/export-libs
mkdir -p "$work"
helper=$(dirname "$GATEPASS")/gatepass-net
password='libs p@ss:w/rd'

# verdicts JSON: the verdicts of a `test --json` answer, one a line.
verdicts() {
  python3 -c 'import json, sys; print("\n".join(r["verdict"] for r in json.load(sys.stdin)))' \
    <<<"$1" 2>/dev/null || echo '<invalid JSON>'
}

# --- what the executables link ----------------------------------------------

libs=$(ldd "$GATEPASS")
is "$?" 0 "ldd reads gatepass"
unlike "$libs" 'libsoup|libpsl|libnghttp2|libbrotli|libsqlite|libgssapi' \
  "gatepass links neither libsoup nor its libraries"
unlike "$libs" 'libgtk|libadwaita|libgdk' "gatepass links no GTK, GDK or libadwaita"
like "$(ldd "$helper")" 'libsoup-3' "(the check sees real dependencies: gatepass-net links libsoup)"

# --- what export maps, while it waits in the keyring -------------------------

gp add office http://127.0.0.1:3128 --username alice --password-stdin <<<"$password"
is "$RC" 0 "add a profile with a password"

keyring_pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets 2>/dev/null |
  grep -o '[0-9]\+' | tail -n 1)
[ -n "$keyring_pid" ] || { echo "Bail out! cannot find the process that owns org.freedesktop.secrets"; exit 1; }
# Resumed on any exit: a frozen daemon would stall keyring-session.sh's cleanup.
trap 'kill -CONT "$keyring_pid" 2>/dev/null' EXIT
kill -STOP "$keyring_pid"

"$GATEPASS" --headless export office >"$work/out" 2>"$work/err" &
export_pid=$!
# Long enough to reach the keyring call, well within its 5 s budget.
sleep 1.5
maps=$(cat "/proc/$export_pid/maps" 2>/dev/null)
ok "export still waits for the frozen keyring" kill -0 "$export_pid"
is "$(readlink "/proc/$export_pid/exe")" "$(readlink -f "$GATEPASS")" "the waiting process is gatepass itself"
like "$maps" 'libsecret-1' "(its maps are read: libsecret is mapped)"
unlike "$maps" 'libsoup' "export maps no libsoup"
unlike "$maps" 'libgtk|libadwaita' "export maps no GTK or libadwaita"

kill -CONT "$keyring_pid"
wait "$export_pid"
is "$?" 0 "export succeeds once the keyring answers"
like "$(cat "$work/out")" 'libs%20p%40ss%3Aw%2Frd@127\.0\.0\.1:3128' "export prints the proxy with the password"

# --- test, through gatepass-net ---------------------------------------------

closed=$(free_port)
gp add closed "http://127.0.0.1:$closed" --auth none
is "$RC" 0 "add a profile without credentials on a closed port"

gp test closed --json --timeout 3
is "$RC" 1 "test through the helper: exit 1"
is "$(verdicts "$OUT")" unreachable "test through the helper: unreachable"
is "$ERR" "" "test through the helper: nothing on stderr"

gp test --help
is "$RC" 0 "test --help through the helper"
like "$OUT" 'gatepass --headless test' "test --help names the command as the user typed it"

"$helper" >/dev/null 2>"$work/err"
is "$?" 2 "gatepass-net alone is a usage error"

# --- installed: the helper under libexecdir ----------------------------------

# in_prefix ROOT CMD...: runs CMD with ROOT's files laid over the real
# prefix, in a private mount namespace: what an installed system sees.
in_prefix() {
  local root=$1; shift
  unshare -m bash -c 'mount -t overlay overlay -o "lowerdir=$1$2:$2" "$2" && shift 2 && exec "$@"' \
    - "$root" "$GP_TEST_PREFIX" "$@"
}

dest=$work/dest
missing=$work/missing
if [ -z "${GP_TEST_BUILD_ROOT:-}" ] || [ "$(id -u)" != 0 ] ||
   ! unshare -m true 2>/dev/null || ! grep -qw overlay /proc/filesystems; then
  echo "ok - installed gatepass finds its helper # SKIP needs root, unshare and overlayfs"
else
  meson install -C "$GP_TEST_BUILD_ROOT" --no-rebuild --quiet --destdir "$dest" >"$work/install.log" 2>&1
  is "$?" 0 "meson install --destdir"
  ok "gatepass-net is installed in libexecdir" test -x "$dest$GP_TEST_LIBEXECDIR/gatepass-net"
  ok "gatepass-net is not in bindir" test ! -e "$dest$GP_TEST_PREFIX/bin/gatepass-net"

  in_prefix "$dest" "$GP_TEST_PREFIX/bin/gatepass" --headless test closed --json --timeout 3 \
    >"$work/out" 2>"$work/err"
  is "$?" 1 "installed: test runs through the installed helper (exit 1)"
  is "$(verdicts "$(cat "$work/out")")" unreachable "installed: verdict unreachable"

  # A whiteout hides the helper, even one installed on this machine.
  cp -a "$dest" "$missing"
  rm "$missing$GP_TEST_LIBEXECDIR/gatepass-net"
  mknod "$missing$GP_TEST_LIBEXECDIR/gatepass-net" c 0 0
  in_prefix "$missing" "$GP_TEST_PREFIX/bin/gatepass" --headless test closed --json --timeout 3 \
    >"$work/out" 2>"$work/err"
  is "$?" 1 "helper missing: exit 1"
  is "$(cat "$work/out")" "" "helper missing: nothing on stdout"
  is "$(grep -c '' "$work/err")" 1 "helper missing: one line on stderr"
  like "$(cat "$work/err")" "^gatepass: .*test.*$GP_TEST_LIBEXECDIR/gatepass-net.*reinstall" \
    "helper missing: the line names the helper and what to do"
  in_prefix "$missing" "$GP_TEST_PREFIX/bin/gatepass" --headless export closed >"$work/out" 2>&1
  is "$?" 0 "helper missing: export still works"
fi

done_testing
