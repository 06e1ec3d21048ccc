#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/flatpak/test-flatpak.sh: the installed Flatpak, checked inside the
# real sandbox with exactly the manifest's permissions. Emits TAP. Run it
# after `build-aux/dev flatpak` (.ci/run's stage `flatpak` does both).
#
#   1. `flatpak info --show-permissions` is the manifest's finish-args (plus
#      the `x11` socket that Flatpak adds next to `fallback-x11`), and the
#      sandbox really has that shape: the home folder is out of sight, the
#      host's environment.d is not.
#   2. The headless CLI in the sandbox (`flatpak run --die-with-parent
#      --command=gatepass`): `add --password-stdin`, `list --json`,
#      `export`, and `test` through a real squid with Basic auth on a free
#      loopback port, with gp-echo-server as the exit-IP service. Profiles
#      land in ~/.var/app/io.github.gatepass.Gatepass/config/gatepass/.
#   3. The password goes through the Secret portal (Debian's
#      xdg-desktop-portal with gnome-keyring's backend, on the private bus):
#      the app's keyring file under ~/.var/app exists, the host's login
#      keyring holds the portal's key for the app (`app_id`) but no item of
#      Gatepass's schema, and the password is in no file in plain text.
#   4. The window: `gio launch` of the exported desktop file (D-Bus
#      activation through the exported service file) maps a window of a
#      sandboxed instance under Xvfb; a screenshot of the screen is kept in
#      the build folder; the instance is stopped.
#
# Hermetic: its own HOME and XDG folders in a temporary folder
# (tests/hermetic.sh), a private session bus with a real, unlocked
# gnome-keyring-daemon (tests/keyring-session.sh) and a private X server
# (tests/xvfb.sh). Only the Flatpak installation is shared: FLATPAK_USER_DIR
# (default: the caller's ~/.local/share/flatpak, where `build-aux/dev
# flatpak` installs with --user) is read, never changed.
#
# Environment: FLATPAK_USER_DIR; GP_ECHO_SERVER (default:
# _build/tests/gp-echo-server, or GATEPASS_BUILDDIR's); GATEPASS_FLATPAK_OUT
# (where the screenshot goes; default: _build-flatpak).
set -u

here=$(dirname "$(readlink -f "$0")")
tests=$(dirname "$here")
root=$(dirname "$tests")
app=io.github.gatepass.Gatepass
manifest=$root/build-aux/flatpak/$app.json

# --- outside: resolve the shared paths, then enter the hermetic session -----

if [ -z "${GATEPASS_FLATPAK_SUITE:-}" ]; then
  export GATEPASS_FLATPAK_SUITE=1
  # Read before hermetic.sh replaces HOME and XDG_DATA_HOME.
  export FLATPAK_USER_DIR=${FLATPAK_USER_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/flatpak}
  export GATEPASS_FLATPAK_OUT=${GATEPASS_FLATPAK_OUT:-$root/_build-flatpak}
  if [ -z "${GP_ECHO_SERVER:-}" ]; then
    GP_ECHO_SERVER=${GATEPASS_BUILDDIR:-$root/_build}/tests/gp-echo-server
  fi
  export GP_ECHO_SERVER
  # As a session's profile.d does for Flatpak: the exported desktop files
  # and D-Bus service files are found there. The private bus reads its
  # service folders from XDG_DATA_DIRS when it starts, so set it first.
  export XDG_DATA_DIRS=$FLATPAK_USER_DIR/exports/share:/usr/local/share:/usr/share
  exec "$tests/keyring-session.sh" "$tests/xvfb.sh" "$0" "$@"
fi

# --- inside: hermetic HOME, private bus with gnome-keyring, Xvfb ------------

# shellcheck source=tests/tap.sh
. "$tests/tap.sh"

# A desktop's default, which the contract's "the host's
# ~/.config/environment.d" assumes: Flatpak resolves xdg-config/... in the
# finish-args from XDG_CONFIG_HOME, which hermetic.sh points elsewhere.
export XDG_CONFIG_HOME=$HOME/.config
mkdir -p "$XDG_CONFIG_HOME"
dbus-update-activation-environment XDG_CONFIG_HOME >/dev/null 2>&1

work=$GATEPASS_TEST_TMPDIR/flatpak
mkdir -p "$work"
chmod 755 "$GATEPASS_TEST_TMPDIR" "$work"   # squid runs as the user proxy
var_app=$HOME/.var/app/$app
password='fl@tpak p:ss/w#rd %41 "q"'
user=alice

portal_pid=
documents_pid=
echo_pid=
squid_pid=

bail() {
  echo "Bail out! $*"
  local f
  for f in "$work"/*.log "$work"/squid/cache.log; do
    [ -s "$f" ] && tail -n 10 "$f" | sed "s|^|# ${f#"$work"/}: |"
  done
  exit 1
}

# stop_instances: every sandboxed instance of the app that runs on our
# runtime dir (flatpak ps lists only those of XDG_RUNTIME_DIR) is killed.
stop_instances() {
  local _
  flatpak ps --columns=application 2>/dev/null | grep -qx "$app" || return 0
  flatpak kill "$app" >/dev/null 2>&1
  for _ in $(seq 100); do
    flatpak ps --columns=application 2>/dev/null | grep -qx "$app" || return 0
    sleep 0.1
  done
  return 1
}

cleanup() {
  local pid
  stop_instances
  for pid in "$squid_pid" "$echo_pid" "$portal_pid" "$documents_pid"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
  done
  for pid in "$squid_pid" "$echo_pid" "$portal_pid" "$documents_pid"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null
  done
  # The document portal unmounts its FUSE folder as it exits; one still
  # mounted would keep hermetic.sh from removing the test's folder.
  if mountpoint -q "$XDG_RUNTIME_DIR/doc" 2>/dev/null; then
    fusermount3 -u -z "$XDG_RUNTIME_DIR/doc" 2>/dev/null || umount -l "$XDG_RUNTIME_DIR/doc" 2>/dev/null
  fi
  return 0
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

for tool in flatpak gio gdbus python3 /usr/sbin/squid /usr/lib/squid/basic_ncsa_auth htpasswd \
            secret-tool xdotool import convert dbus-update-activation-environment \
            curl /usr/libexec/xdg-desktop-portal /usr/libexec/xdg-document-portal; do
  command -v "$tool" >/dev/null 2>&1 || bail "$tool is not installed (build-aux/dev flatpak installs it)"
done
[ -x "$GP_ECHO_SERVER" ] || bail "no gp-echo-server at $GP_ECHO_SERVER (build _build first, or set GP_ECHO_SERVER)"
flatpak --user info "$app" >"$work/info.log" 2>&1 ||
  bail "$app is not installed in $FLATPAK_USER_DIR: run build-aux/dev flatpak first"
diag "app: $(sed -n 's/^ *Commit: *//p' "$work/info.log" | head -n 1) in $FLATPAK_USER_DIR"

has_owner() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null | grep -q true
}

# flatpak run asks the bus for the document portal, which mounts a FUSE
# folder in XDG_RUNTIME_DIR: started here, so that it is stopped (and
# unmounts) before the test's folder is removed, not when the bus ends.
/usr/libexec/xdg-document-portal >"$work/documents.log" 2>&1 &
documents_pid=$!
for _ in $(seq 100); do
  has_owner org.freedesktop.portal.Documents && break
  kill -0 "$documents_pid" 2>/dev/null || bail "xdg-document-portal exited"
  sleep 0.1
done
has_owner org.freedesktop.portal.Documents || bail "xdg-document-portal did not own its name within 10 s"

# GATEPASS for tap.sh's gp: the CLI inside the sandbox, with a deadline
# (a hung portal call must fail the check, not the stage's budget).
cat >"$work/gatepass-in-flatpak" <<EOF
#!/bin/sh
exec timeout -k 5 60 flatpak run --user --die-with-parent --command=gatepass $app "\$@"
EOF
chmod +x "$work/gatepass-in-flatpak"
export GATEPASS=$work/gatepass-in-flatpak

# in_sandbox COMMAND...: runs COMMAND in the app's sandbox (the runtime's
# shell tools), with the app's permissions.
in_sandbox() {
  timeout -k 5 60 flatpak run --user --die-with-parent --command="$1" "$app" "${@:2}"
}

# --- 1. permissions -------------------------------------------------------

# "GROUP KEY VALUE" lines, sorted: from the manifest's finish-args, and from
# what `flatpak info --show-permissions` says the installed app has.
manifest_permissions() {
  python3 - "$manifest" <<'PY'
import json, sys
keys = {"share": ("Context", "shared"), "socket": ("Context", "sockets"),
        "device": ("Context", "devices"), "filesystem": ("Context", "filesystems"),
        "persist": ("Context", "persistent"), "allow": ("Context", "features")}
buses = {"talk-name": ("Session Bus Policy", "talk"), "own-name": ("Session Bus Policy", "own"),
         "system-talk-name": ("System Bus Policy", "talk"), "system-own-name": ("System Bus Policy", "own")}
out = set()
for arg in json.load(open(sys.argv[1])).get("finish-args", []):
    opt, _, value = arg.lstrip("-").partition("=")
    if opt in keys:
        out.add("%s %s %s" % (keys[opt] + (value,)))
    elif opt in buses:
        group, policy = buses[opt]
        out.add("%s %s %s" % (group, value, policy))
    elif opt == "env":
        name, _, v = value.partition("=")
        out.add("Environment %s %s" % (name, v))
    else:
        out.add("UNKNOWN-FINISH-ARG %s" % arg)
print("\n".join(sorted(out)))
PY
}

installed_permissions() {
  python3 -c '
import sys
group, out = None, set()
for line in sys.stdin.read().splitlines():
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    if line.startswith("[") and line.endswith("]"):
        group = line[1:-1]
        continue
    key, _, value = line.partition("=")
    if group == "Context":
        for v in filter(None, value.split(";")):
            out.add("%s %s %s" % (group, key, v))
    else:
        out.add("%s %s %s" % (group, key, value))
print("\n".join(sorted(out)))
'
}

expected=$(manifest_permissions)
if printf '%s\n' "$expected" | grep -q '^Context sockets fallback-x11$'; then
  # Flatpak grants x11 with fallback-x11 and drops it when Wayland is there.
  expected=$(printf '%s\nContext sockets x11\n' "$expected" | sort -u)
fi
got=$(flatpak --user info --show-permissions "$app" 2>"$work/permissions.log" | installed_permissions)
is "$got" "$expected" "flatpak info --show-permissions is the manifest's finish-args (and x11 beside fallback-x11)"
unlike "$expected" 'UNKNOWN-FINISH-ARG' "every finish-arg of the manifest is one this check knows"

mkdir -p "$XDG_CONFIG_HOME/environment.d"
echo marker >"$HOME/gatepass-host-marker"
# sees PATH: what the sandbox's shell finds there (an answer either way, so
# that a sandbox that does not start fails both checks).
sees() {
  # shellcheck disable=SC2016 # expanded by the sandbox's shell
  in_sandbox sh -c 'if test -e "$1"; then echo visible; else echo hidden; fi' sh "$1" 2>>"$work/sandbox.log"
}
is "$(sees "$HOME/gatepass-host-marker")" hidden "the host's home folder is out of the sandbox's sight"
is "$(sees "$HOME/.config/environment.d")" visible \
  "the host's ~/.config/environment.d is in the sandbox (xdg-config/environment.d:create)"

# --- services: the portal on the test bus, squid, the echo server ------------

XDG_CURRENT_DESKTOP=GNOME /usr/libexec/xdg-desktop-portal --replace >"$work/portal.log" 2>&1 &
portal_pid=$!
for _ in $(seq 100); do
  has_owner org.freedesktop.portal.Desktop && break
  kill -0 "$portal_pid" 2>/dev/null || bail "xdg-desktop-portal exited"
  sleep 0.1
done
has_owner org.freedesktop.portal.Desktop || bail "xdg-desktop-portal did not own its name within 10 s"
like "$(gdbus introspect --session --dest org.freedesktop.portal.Desktop \
          --object-path /org/freedesktop/portal/desktop 2>&1)" \
  'interface org\.freedesktop\.portal\.Secret ' "the Secret portal is on the test bus (gnome-keyring's backend)"

"$GP_ECHO_SERVER" --port 0 >"$work/echo.port" 2>"$work/echo.log" &
echo_pid=$!
echo_port=
for _ in $(seq 100); do
  echo_port=$(head -n 1 "$work/echo.port" 2>/dev/null)
  case $echo_port in *[0-9]) [ "$(wc -l <"$work/echo.port")" -ge 1 ] && break ;; esac
  echo_port=
  kill -0 "$echo_pid" 2>/dev/null || bail "gp-echo-server exited"
  sleep 0.05
done
[ -n "$echo_port" ] || bail "gp-echo-server did not print its port within 5 s"

sqdir=$work/squid
mkdir -p "$sqdir"
htpasswd -nbB "$user" "$password" 2>"$work/htpasswd.log" | grep -v '^$' >"$sqdir/htpasswd" ||
  bail "htpasswd failed"
squid_port=$(free_port)
[ "$squid_port" != 3128 ] || squid_port=$(free_port)
# tcp_outgoing_address: squid reaches the echo server from 127.0.0.2, so the
# exit IP shows that the request went through it.
cat >"$sqdir/squid.conf" <<EOF
http_port 127.0.0.1:$squid_port
visible_hostname gatepass-flatpak-test
pid_filename $sqdir/squid.pid
cache_log $sqdir/cache.log
access_log stdio:$sqdir/access.log
cache_store_log none
coredump_dir $sqdir
netdb_filename none
pinger_enable off
icp_port 0
htcp_port 0
shutdown_lifetime 0 seconds
cache deny all
tcp_outgoing_address 127.0.0.2

auth_param basic program /usr/lib/squid/basic_ncsa_auth $sqdir/htpasswd
auth_param basic children 3
auth_param basic realm Gatepass Flatpak
auth_param basic credentialsttl 1 second
acl authenticated proxy_auth REQUIRED
http_access allow authenticated
http_access deny all
EOF
if [ "$(id -u)" -eq 0 ] && id proxy >/dev/null 2>&1; then
  chown -R proxy: "$sqdir"
fi
/usr/sbin/squid -N -n "gpflatpak$$" -f "$sqdir/squid.conf" >"$sqdir/squid.out" 2>&1 &
squid_pid=$!
proxy=http://127.0.0.1:$squid_port
echo_url=http://127.0.0.1:$echo_port/
for i in $(seq 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -x "$proxy" "$echo_url" 2>/dev/null)" = 407 ] && break
  kill -0 "$squid_pid" 2>/dev/null || bail "squid exited: $(tail -n 3 "$sqdir/cache.log" 2>/dev/null)"
  [ "$i" -lt 100 ] || bail "squid did not answer 407 within 10 s"
  sleep 0.1
done

# --- 2. the headless CLI in the sandbox ------------------------------------

profiles_ini=$var_app/config/gatepass/profiles.ini
gp add office "$proxy" --username "$user" --password-stdin <<<"$password"
is "$RC" 0 "add --password-stdin in the sandbox succeeds"
[ "$RC" -eq 0 ] || diag "stderr: $ERR"
ok "the profile is in ~/.var/app/$app/config/gatepass/profiles.ini" grep -qs '^\[.*\]' "$profiles_ini"
ok "no profiles.ini on the host's side (~/.config/gatepass)" not test -e "$XDG_CONFIG_HOME/gatepass/profiles.ini"
# lacks FILE TEXT: FILE is there, not empty, and does not hold TEXT.
lacks() { test -s "$1" && ! grep -qF -- "$2" "$1"; }
ok "the password is not in profiles.ini" lacks "$profiles_ini" "$password"

gp list --json </dev/null
list_rc=$RC list_out=$OUT
is "$list_rc" 0 "list --json succeeds"
fields=$(printf '%s' "$list_out" | python3 -c '
import json, sys
try:
    a = json.load(sys.stdin)
    p = [x for x in a if x.get("name") == "office"][0]
    print(p["id"], p["url"], p["username"], p["auth"], json.dumps(p["has_password"]))
except Exception as e:
    print("unparsable:", e)
' 2>&1)
is "${fields#* }" "$proxy $user password true" "list --json: the profile, its URL, user, auth, and a stored password"
profile_id=${fields%% *}
diag "profile id: $profile_id"

gp export office --format sh </dev/null
is "$RC" 0 "export succeeds"
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="-._~"))' "$password")
like "$OUT" "^export http_proxy='http://$user:$(printf '%s' "$encoded" | sed 's/\./\\./g')@127\.0\.0\.1:$squid_port/?'$" \
  "export prints http_proxy with the percent-encoded password from the portal's keyring"
# shellcheck disable=SC2016 # expanded by that shell, after the eval
exported=$(env -i sh -c "$OUT"'
printf %s "$HTTPS_PROXY"' 2>&1)
like "$exported" "^http://$user:.*@127\.0\.0\.1:$squid_port/?$" "eval of export's output sets HTTPS_PROXY"

# What `eval "$(flatpak run … export)"` costs in a login shell: Flatpak's
# start-up (bwrap, the D-Bus proxy) plus the portal's key. A figure for the
# README, printed, never asserted: the machine is shared.
median_ms() {
  local i start times=()
  for i in 1 2 3 4 5 6 7; do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 </dev/null
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 4p
}
diag "export in the sandbox: median of 7, $(median_ms "$GATEPASS" --headless export office) ms"

gp test office --json --ip-echo "$echo_url" --timeout 20 </dev/null
test_rc=$RC
is "$test_rc" 0 "test through squid (Basic) exits 0"
[ "$test_rc" -eq 0 ] || diag "stdout: $OUT" "stderr: $ERR"
result=$(printf '%s' "$OUT" | python3 -c '
import json, sys
try:
    r = json.load(sys.stdin)[0]
    print(r["verdict"], r["status"], r["exit_ip"], ",".join(c["scheme"] for c in r["challenges"]))
except Exception as e:
    print("unparsable:", e)
' 2>&1)
is "$result" "ok 200 127.0.0.2 Basic" "test --json: verdict ok, 200, exit IP 127.0.0.2 (squid's), Basic challenge seen"
ok "squid's access.log has the request under the user's name" \
  grep -qE " $user [^ ]+/127\.0\.0\.1 " "$sqdir/access.log"

# --- 3. the password went through the Secret portal -----------------------

keyring_file=$var_app/data/keyrings/default.keyring
ok "the app's keyring file exists: ~/.var/app/$app/data/keyrings/default.keyring" test -s "$keyring_file"
# search_items ATTRIBUTE VALUE: the host's Secret Service's SearchItems,
# unlocked and locked item paths.
search_items() {
  gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
    --method org.freedesktop.Secret.Service.SearchItems "{'$1': '$2'}" 2>&1
}
host_items=$(secret-tool search --all profile "${profile_id:-no-id}" 2>&1)
is "$host_items" "" "the host's secret-tool search (profile ID) finds no item"
host_items=$(secret-tool search --all xdg:schema io.github.gatepass.Profile 2>&1)
is "$host_items" "" "the host's secret-tool search (schema io.github.gatepass.Profile) finds no item"
is "$(search_items profile "${profile_id:-no-id}")" "(@ao [], @ao [])" \
  "the host's Secret Service has no item of the profile, unlocked or locked (SearchItems)"
# The portal's key is an item of gnome-keyring's own that its D-Bus side
# lists but does not serve (secret-tool: "No such secret item"): asked
# with SearchItems, which does not read it.
like "$(search_items app_id "$app")" "^\(\[objectpath '/org/freedesktop/secrets/collection/login/[^']+'\]," \
  "the host's login keyring has the Secret portal's key for the app (app_id)"
ok "the password is in no file under HOME in plain text" not grep -rqF -- "$password" "$HOME"

# --- 4. the window ----------------------------------------------------------

desktop=$FLATPAK_USER_DIR/exports/share/applications/$app.desktop
ok "the exported desktop file is there" test -f "$desktop"
# D-Bus activation: the bus starts the exported service file's command
# with its activation environment, which has no display yet.
dbus-update-activation-environment DISPLAY GDK_BACKEND NO_AT_BRIDGE >"$work/activation.log" 2>&1
timeout 30 gio launch "$desktop" >"$work/gio-launch.log" 2>&1
is "$?" 0 "gio launch of the exported desktop file succeeds"
# GTK names the X11 class after the program: the window's executable.
xid=$(timeout 90 xdotool search --sync --onlyvisible --class '^gatepass-window$' 2>/dev/null | head -n 1)
like "$xid" '^[0-9]+$' "a window of class gatepass-window maps within 90 s"
ok "the window belongs to a sandboxed instance (flatpak ps)" \
  sh -c "flatpak ps --columns=application | grep -qx '$app'"
mkdir -p "$GATEPASS_FLATPAK_OUT"
shot=$GATEPASS_FLATPAK_OUT/test-flatpak-window.png
rm -f "$shot"
if [ -n "$xid" ]; then
  sleep 3    # let the first frames draw
  import -window root "$shot" 2>"$work/import.log"
fi
spread=$(convert "$shot" -format '%[fx:standard_deviation > 0.02 ? 1 : 0]' info: 2>/dev/null)
is "$spread" 1 "the screenshot shows something drawn (not a blank screen)"
diag "screenshot: $shot"
ok "the window's instance stops (flatpak kill)" stop_instances

done_testing
