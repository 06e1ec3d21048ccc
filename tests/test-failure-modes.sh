#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A config folder that refuses the save: every command that writes
# profiles.ini fails with exit status 1 and one line on stderr that names
# the file and says what to do; profiles.ini stays byte for byte what it
# was, no temporary file is left, and the keyring holds exactly what it
# held (a password stored before the save is taken back: no orphan).
# Commands that write no file (list, show, set-password) still work.
#
#   a) a read-only folder: chmod 0555 and a read-only profiles.ini, which
#      root ignores, so also a read-only bind mount over the folder;
#   b) a full disk: a 64 KiB tmpfs over the folder, filled to the last byte;
#   c) a folder the user may not write in (chmod 0555, run as nobody).
#
# The mounts are made in a private mount namespace (unshare -m, as root):
# the script runs itself again inside one, and they go when it ends.
# The window's Save is tried on the full disk too, through
# tests/test-window-party.c (PARTY).
#
# Runs as keyring-session.sh xvfb.sh bash test-failure-modes.sh PARTY.

. "${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

party=${1:?usage: test-failure-modes.sh TEST-WINDOW-PARTY}
: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"
if [ -z "${DISPLAY:-}" ]; then
  echo "Bail out! DISPLAY is not set: run under tests/xvfb.sh"
  exit 1
fi

if [ -z "${GP_FAILURE_MODES_NAMESPACE:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Bail out! test-failure-modes.sh needs root, for unshare -m and mount (CI runs as root)"
    exit 1
  fi
  if ! err=$(unshare -m --propagation private true 2>&1); then
    echo "Bail out! unshare -m does not work here: $err"
    exit 1
  fi
  GP_FAILURE_MODES_NAMESPACE=1 exec unshare -m --propagation private bash "$0" "$@"
fi

work=$GATEPASS_TEST_TMPDIR/failure-modes
mkdir -p "$work"
dir=$XDG_CONFIG_HOME/gatepass
profiles=$dir/profiles.ini
proxy=http://127.0.0.1:3129    # never contacted

# run ARGS...: gatepass --headless ARGS with stdin as given; a hang becomes
# 124 after 20 s. Sets OUT, ERR, ERR_LINES, RC.
run() {
  timeout 20 "$GATEPASS" --headless "$@" >"$work/out" 2>"$work/err"
  RC=$?
  OUT=$(cat "$work/out")
  ERR=$(cat "$work/err")
  ERR_LINES=$(grep -c '' "$work/err")
}

# keyring_items: every Gatepass item as "profile username secret", sorted.
keyring_items() {
  secret-tool search --all xdg:schema io.github.gatepass.Profile 2>&1 |
    awk '/^\[/ { if (p != "") print p, u, s; p = u = s = "" }
         /^secret = / { s = substr($0, 10) }
         /^attribute.profile = / { p = $3 }
         /^attribute.username = / { u = $3 }
         END { if (p != "") print p, u, s }' | sort
}

# orphans: items whose profile id profiles.ini does not name.
orphans() {
  local id
  keyring_items | while read -r id _; do
    grep -qxF "[profile $id]" "$profiles" 2>/dev/null || echo "$id"
  done
}

# snapshot: what must not change (the file, the listing, the keyring).
snapshot() {
  if [ -e "$profiles" ]; then cp "$profiles" "$work/before.ini"; else rm -f "$work/before.ini"; fi
  "$GATEPASS" --headless list --json >"$work/before.json" 2>/dev/null </dev/null
  keyring_items >"$work/before.keyring"
}

file_unchanged() {
  if [ -e "$work/before.ini" ]; then
    cmp -s "$work/before.ini" "$profiles"
  else
    [ ! -e "$profiles" ]
  fi
}

# refused TAG DESCRIPTION REGEX: the last `run` failed as a refused save
# must: 1, silent stdout, one line naming profiles.ini and the advice, and
# nothing changed anywhere.
refused() {
  local tag=$1 what=$2 re=$3
  is "$RC" 1 "$tag: $what: exit status 1"
  is "$OUT" "" "$tag: $what: nothing on stdout"
  is "$ERR_LINES" 1 "$tag: $what: exactly one line on stderr"
  like "$ERR" "^gatepass: Cannot save ${profiles//./\\.}: .*$re.* try again; the file is unchanged$" \
    "$tag: $what: the line names profiles.ini, the cause and what to do"
  [ -n "${SHOW_ERRORS:-}" ] && diag "$tag: $what: $ERR"
  ok "$tag: $what: profiles.ini is byte for byte the same" file_unchanged
  is "$("$GATEPASS" --headless list --json 2>&1 </dev/null)" "$(cat "$work/before.json")" \
    "$tag: $what: list --json shows the same profiles"
  is "$(keyring_items)" "$(cat "$work/before.keyring")" "$tag: $what: the keyring holds what it held"
  is "$(orphans)" "" "$tag: $what: no keyring item without its profile"
  is "$(find "$dir" -name 'profiles.ini.*' ! -name profiles.ini.lock)" "" \
    "$tag: $what: no temporary file is left"
}

# The profiles each case starts from: one with a stored password, one
# without credentials, the latter active.
baseline() {
  rm -rf "$dir"
  secret-tool clear xdg:schema io.github.gatepass.Profile 2>/dev/null
  "$GATEPASS" --headless add keep "$proxy" --username u --password-stdin <<<'keep pw' &&
    "$GATEPASS" --headless add open "$proxy" --auth none </dev/null &&
    "$GATEPASS" --headless activate open </dev/null ||
    { echo "Bail out! cannot create the baseline profiles"; exit 1; }
}

# Every command that writes profiles.ini, in the folder as it is now.
refused_writes() {
  local tag=$1 re=$2

  snapshot
  run add new "$proxy" --username n --password-stdin <<<'new pw'
  refused "$tag" "add --password-stdin" "$re"
  run add plain "$proxy" --auth none </dev/null
  refused "$tag" "add" "$re"
  run edit keep --url http://127.0.0.1:3130 </dev/null
  refused "$tag" "edit --url" "$re"
  run edit keep --rename kept </dev/null
  refused "$tag" "edit --rename" "$re"
  run edit keep --password-stdin <<<'replaced pw'
  refused "$tag" "edit --password-stdin (the same username)" "$re"
  run edit keep --username v --password-stdin <<<'other pw'
  refused "$tag" "edit --username --password-stdin" "$re"
  run edit keep --auth none </dev/null
  refused "$tag" "edit --auth none" "$re"
  run edit open --username w --auth password --password-stdin <<<'open pw'
  refused "$tag" "edit: credentials for a profile without" "$re"
  run remove keep </dev/null
  refused "$tag" "remove of a profile with a password" "$re"
  run remove open </dev/null
  refused "$tag" "remove of the active profile" "$re"
  run activate keep </dev/null
  refused "$tag" "activate" "$re"
  run deactivate </dev/null
  refused "$tag" "deactivate" "$re"
}

# What writes no file still works there.
still_reads() {
  local tag=$1 id

  run list </dev/null
  is "$RC" 0 "$tag: list works"
  run show keep --json </dev/null
  is "$RC" 0 "$tag: show --json works"
  like "$OUT" '"has_password" : true' "$tag: ... and sees the password"

  snapshot
  id=$(awk '/^\[profile / { id = substr($2, 1, length($2) - 1) } /^name=keep$/ { print id }' "$profiles")
  run set-password keep <<<'set pw'
  is "$RC" 0 "$tag: set-password works (it writes no file)"
  ok "$tag: set-password: profiles.ini is byte for byte the same" file_unchanged
  is "$(keyring_items)" "$id u set pw" "$tag: set-password: the new password is stored, nothing else"
  "$GATEPASS" --headless set-password keep <<<'keep pw'
}

# writable_again TAG: once the folder is back, the same commands succeed
# (so it was the folder that refused them), and nothing is orphaned.
writable_again() {
  local tag=$1

  run add new "$proxy" --username n --password-stdin <<<'new pw'
  is "$RC" 0 "$tag: once writable again, add --password-stdin succeeds"
  run edit keep --username v --password-stdin <<<'other pw'
  is "$RC" 0 "$tag: once writable again, edit --username --password-stdin succeeds"
  run remove open </dev/null
  is "$RC" 0 "$tag: once writable again, remove succeeds"
  is "$(keyring_items | awk '{ print $2, $3, $4 }' | sort | tr '\n' ,)" "n new pw,v other pw," \
    "$tag: once writable again, the keyring holds the two profiles' passwords"
  is "$(orphans)" "" "$tag: once writable again, no orphan"
}

# --- a) a read-only folder ---

baseline
chmod 0444 "$profiles"
chmod 0555 "$dir"
if ! mount --bind "$dir" "$dir" || ! mount -o remount,bind,ro "$dir"; then
  echo "Bail out! cannot make a read-only bind mount of $dir"
  exit 1
fi
if ( : > "$dir/probe" ) 2>/dev/null || ( : >> "$profiles" ) 2>/dev/null; then
  echo "Bail out! the read-only bind mount of $dir still takes writes"
  exit 1
fi
diag "a) $dir: chmod 0555, profiles.ini 0444, a read-only bind mount"
refused_writes "read-only" "on a read-only file system\\. Make ${dir//./\\.} writable and"
still_reads "read-only"

# Without the lock file too: it cannot be created there.
umount "$dir"
rm -f "$dir/profiles.ini.lock"
mount --bind "$dir" "$dir" && mount -o remount,bind,ro "$dir"
snapshot
run add new "$proxy" --username n --password-stdin <<<'new pw'
refused "read-only, no lock file" "add --password-stdin" "on a read-only file system"
umount "$dir"

# No gatepass folder yet, in a read-only config folder: it cannot be made.
mkdir "$work/ro-config"
mount --bind "$work/ro-config" "$work/ro-config" && mount -o remount,bind,ro "$work/ro-config"
keyring_items >"$work/before.keyring"
XDG_CONFIG_HOME=$work/ro-config run add first "$proxy" --username f --password-stdin <<<'first pw'
is "$RC" 1 "read-only, no folder yet: add --password-stdin: exit status 1"
is "$ERR_LINES" 1 "read-only, no folder yet: add --password-stdin: exactly one line on stderr"
like "$ERR" "^gatepass: Cannot create the folder ${work//./\\.}/ro-config/gatepass, which holds profiles\\.ini: .*\\. Create it, or make the folder it goes in writable, and try again; nothing was changed$" \
  "read-only, no folder yet: add --password-stdin: the line names the folder, profiles.ini and what to do"
is "$(keyring_items)" "$(cat "$work/before.keyring")" "read-only, no folder yet: the keyring holds what it held"
umount "$work/ro-config"

chmod 0700 "$dir"
chmod 0600 "$profiles"
writable_again "read-only"

# --- b) a full disk ---

baseline
cp -p "$profiles" "$dir/profiles.ini.lock" "$work/"
if ! mount -t tmpfs -o size=64k,mode=0700 gatepass-full "$dir"; then
  echo "Bail out! cannot mount a tmpfs on $dir"
  exit 1
fi
cp -p "$work/profiles.ini" "$work/profiles.ini.lock" "$dir/"
# Whole pages first, then byte by byte until nothing more fits.
dd if=/dev/zero of="$dir/filler" bs=4k status=none 2>/dev/null
dd if=/dev/zero of="$dir/filler" bs=1 oflag=append conv=notrunc status=none 2>/dev/null
if ( printf x > "$dir/probe" ) 2>/dev/null || [ "$(df --output=avail "$dir" | tail -n 1)" -ne 0 ]; then
  echo "Bail out! the tmpfs on $dir is not full: $(df -h "$dir" | tail -n 1)"
  exit 1
fi
rm -f "$dir/probe"
diag "b) $dir: a full tmpfs: $(df -h --output=size,used,avail "$dir" | tail -n 1)"
refused_writes "full" "the disk that holds it is full\\. Free some space on it and"
still_reads "full"

# The window's Save on the full disk: the message, and the edits kept
# until there is space again (tests/test-window-party.c --refused).
wait_for() {
  local file=$1
  for _ in $(seq 300); do
    [ -e "$file" ] && return 0
    kill -0 "$window_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -e "$file" ]
}
"$party" --refused refused "$work" >"$work/window.log" 2>&1 &
window_pid=$!
if ! wait_for "$work/ready-refused"; then
  echo "Bail out! the window did not open within 30 s: $(cat "$work/window.log")"
  exit 1
fi
snapshot
: > "$work/go"
ok "full: the window: Save fails" wait_for "$work/refused-refused"
like "$(cat "$work/refused-refused" 2>/dev/null)" \
  "^Cannot save ${profiles//./\\.}: the disk that holds it is full\\. Free some space on it and try again; the file is unchanged$" \
  "full: the window: it shows the message that names profiles.ini and what to do"
ok "full: the window: profiles.ini is byte for byte the same" file_unchanged
is "$(keyring_items)" "$(cat "$work/before.keyring")" "full: the window: the keyring holds what it held"
rm -f "$dir/filler"
: > "$work/retry"
ok "full: the window: once there is space, Save succeeds with the edits it kept" wait_for "$work/saved-refused"
wait "$window_pid"
is "$?" 0 "full: the window: exited cleanly"
[ -s "$work/window.log" ] && diag "window: $(cat "$work/window.log")"
run show refused --json </dev/null
like "$OUT" '"username" : "refused-user"' "full: the window: the profile is saved"
like "$OUT" '"has_password" : true' "full: the window: ... with its password"
run remove refused </dev/null

# A first save on a full disk: no file appears, no password stays.
mkdir "$work/empty"
mount -t tmpfs -o size=64k,mode=0700 gatepass-empty "$work/empty"
mkdir "$work/empty/gatepass"
dd if=/dev/zero of="$work/empty/filler" bs=4k status=none 2>/dev/null
keyring_items >"$work/before.keyring"
XDG_CONFIG_HOME=$work/empty run add first "$proxy" --username f --password-stdin <<<'first pw'
is "$RC" 1 "full, no file yet: add --password-stdin: exit status 1"
is "$ERR_LINES" 1 "full, no file yet: add --password-stdin: exactly one line on stderr"
like "$ERR" "^gatepass: Cannot save ${work//./\\.}/empty/gatepass/profiles\\.ini: the disk that holds it is full" \
  "full, no file yet: add --password-stdin: the line names profiles.ini and the cause"
is "$(find "$work/empty/gatepass" -mindepth 1 ! -name profiles.ini.lock)" "" \
  "full, no file yet: no profiles.ini and no temporary file appeared"
is "$(keyring_items)" "$(cat "$work/before.keyring")" "full, no file yet: the password was taken back"
umount "$work/empty"

umount "$dir"
writable_again "full"

# --- c) a folder the user may not write in ---

# Root writes anywhere; nobody does not. Adding and editing profiles
# without credentials and choosing the active one need no keyring (nobody
# may not use root's session bus; remove always asks it for items to
# delete).
nobody_home=$work/nobody
mkdir -p "$nobody_home/config/gatepass"
chown -R nobody: "$nobody_home"
chmod 0755 "$work" "$GATEPASS_TEST_TMPDIR"
# A copy nobody may run: the build tree may be somewhere nobody cannot
# reach (a checkout in /root, 0700, as on a pristine Debian).
mkdir -p "$work/nobody-bin"
install -m 0755 "$GATEPASS" "$work/nobody-bin/gatepass"
nobody_gatepass=$work/nobody-bin/gatepass
as_nobody() {
  setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env HOME="$nobody_home" XDG_CONFIG_HOME="$nobody_home/config" \
        XDG_STATE_HOME="$nobody_home/state" XDG_DATA_HOME="$nobody_home/data" \
        XDG_CACHE_HOME="$nobody_home/cache" DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent \
        "$@"
}
if ! as_nobody true; then
  echo "Bail out! cannot run a command as nobody with setpriv"
  exit 1
fi
dir=$nobody_home/config/gatepass profiles=$dir/profiles.ini
as_nobody "$nobody_gatepass" --headless add open "$proxy" --auth none </dev/null &&
  as_nobody "$nobody_gatepass" --headless add other "$proxy" --auth ip </dev/null &&
  as_nobody "$nobody_gatepass" --headless activate other </dev/null ||
  { echo "Bail out! nobody cannot add profiles to $dir"; exit 1; }
chmod 0444 "$profiles"
chmod 0555 "$dir"
if as_nobody sh -c ': > "$1/probe"' sh "$dir" 2>/dev/null; then
  echo "Bail out! nobody can still write in $dir"
  exit 1
fi
diag "c) $dir: chmod 0555, profiles.ini 0444, as nobody"
cp "$profiles" "$work/before.ini"
for args in "add plain $proxy --auth none" "edit open --url http://127.0.0.1:3130" \
            "edit open --rename opened" "activate open" "deactivate"; do
  # shellcheck disable=SC2086
  timeout 20 setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env HOME="$nobody_home" XDG_CONFIG_HOME="$nobody_home/config" DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent \
    "$nobody_gatepass" --headless $args >"$work/out" 2>"$work/err" </dev/null
  RC=$?
  what=${args/ $proxy/}
  is "$RC" 1 "no permission: $what: exit status 1"
  is "$(grep -c '' "$work/err")" 1 "no permission: $what: exactly one line on stderr"
  like "$(cat "$work/err")" \
    "^gatepass: Cannot save ${profiles//./\\.}: you may not write in its folder\\. Make ${dir//./\\.} writable for you \\(chmod u\\+w\\) and try again; the file is unchanged$" \
    "no permission: $what: the line names profiles.ini, the cause and what to do"
  ok "no permission: $what: profiles.ini is byte for byte the same" file_unchanged
done
chmod 0700 "$dir"
as_nobody "$nobody_gatepass" --headless add plain "$proxy" --auth none </dev/null
is "$?" 0 "no permission: once writable again, add succeeds"

done_testing
