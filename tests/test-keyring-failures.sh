# SPDX-License-Identifier: GPL-3.0-or-later
#
# When the keyring cannot be used, every command that needs a password
# fails at once with exit status 3 and one line on stderr that names the
# problem, prints nothing on stdout, and changes nothing. Commands that need
# no password still work. Three ways to fail, each with a real bus:
#
#   a) no session bus at all (hermetic.sh's address leads nowhere);
#   b) a session bus without a Secret Service (our own dbus-daemon whose
#      configuration has no service directories, so nothing is activated);
#   c) a Secret Service whose login keyring is locked (a real
#      gnome-keyring-daemon on that bus, locked over D-Bus).
#
# Runs under tests/hermetic.sh.

. "${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/hermetic.sh}"

proxy=http://127.0.0.1:3129    # never contacted
work=$GATEPASS_TEST_TMPDIR/keyring-failures
mkdir -p "$work"

bus_pid=
keyring_pid=
cleanup() {
  [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  [ -n "$keyring_pid" ] && wait "$keyring_pid" 2>/dev/null
  [ -n "$bus_pid" ] && wait "$bus_pid" 2>/dev/null
  return 0
}
trap cleanup EXIT

# run ARGS...: like gp, but a hang becomes exit status 124 after 20 s
# instead of blocking the suite. Sets OUT, ERR, ERR_LINES, RC, SECS.
run() {
  local start end
  start=$(date +%s%N)
  timeout 20 "$GATEPASS" --headless "$@" >"$work/out" 2>"$work/err"
  RC=$?
  end=$(date +%s%N)
  SECS=$(( (end - start) / 1000000000 ))
  OUT=$(cat "$work/out")
  ERR=$(cat "$work/err")
  ERR_LINES=$(grep -c '' "$work/err")
}

# keyring_error DESCRIPTION REGEX: the last `run` failed as a keyring
# problem should: 3, silent stdout, one line on stderr matching REGEX.
keyring_error() {
  is "$RC" 3 "$1: exit status 3"
  [ "$RC" -eq 124 ] && diag "timed out after 20 s"
  is "$OUT" "" "$1: nothing on stdout"
  is "$ERR_LINES" 1 "$1: exactly one line on stderr"
  like "$ERR" "$2" "$1: the error names the problem"
  [ -n "${SHOW_ERRORS:-}" ] && diag "$1: $ERR"
  [ "$SECS" -lt 5 ] || diag "$1 took ${SECS} s"
}

# json_field JSON PYTHON-EXPRESSION: prints the expression's JSON value,
# evaluated with `v` bound to the parsed document.
json_field() {
  python3 -c 'import json, sys
v = json.loads(sys.argv[1])
print(json.dumps(eval(sys.argv[2])))' "$1" "$2" 2>/dev/null || echo '<invalid JSON>'
}

listed() {
  run list --json </dev/null
  [ "$RC" -eq 0 ] && [ "$(json_field "$OUT" "any(p['name'] == '$1' for p in v)")" = true ]
}

fresh_config() {
  rm -rf "$XDG_CONFIG_HOME/gatepass"
}

# The cases shared by a) and b): nothing in the keyring can be reached.
unreachable_cases() {
  local tag=$1 re=$2

  run add p "$proxy" --username u --password-stdin < <(printf '%s' 'pass word')
  keyring_error "$tag: add with a password" "$re"
  ok "$tag: add with a password saved no profile" eval '! listed p'

  run add q "$proxy" --username u </dev/null
  is "$RC" 0 "$tag: add without a password needs no keyring"
  is "$OUT" "" "$tag: add prints nothing on stdout"

  run show q --json </dev/null
  is "$RC" 0 "$tag: show --json still works"
  is "$(json_field "$OUT" "v['has_password']")" null "$tag: show --json: has_password is null"
  is "$(json_field "$OUT" "v['username']")" '"u"' "$tag: show --json: the username is there"

  run list --json </dev/null
  is "$RC" 0 "$tag: list --json still works"
  is "$(json_field "$OUT" "[p['has_password'] for p in v]")" '[null]' "$tag: list --json: has_password is null"

  run export q </dev/null
  keyring_error "$tag: export" "$re"
  run export q --format json </dev/null
  keyring_error "$tag: export --format json" "$re"

  run activate q </dev/null
  if [ "$RC" -eq 0 ]; then
    run export </dev/null
    keyring_error "$tag: export of the active profile" "$re"
    run deactivate </dev/null
  else
    diag "activate q: exit status $RC: $ERR"
  fi

  run set-password q < <(printf '%s' 'new pass')
  keyring_error "$tag: set-password" "$re"

  run remove q </dev/null
  keyring_error "$tag: remove" "$re"
  ok "$tag: remove left the profile in place" listed q

  run edit q --auth none </dev/null
  keyring_error "$tag: edit --auth none" "$re"
  run show q --json </dev/null
  is "$(json_field "$OUT" "v['auth']")" '"password"' "$tag: edit --auth none changed nothing"

  run edit q --username v </dev/null
  keyring_error "$tag: edit --username" "$re"
  run show q --json </dev/null
  is "$(json_field "$OUT" "v['username']")" '"u"' "$tag: edit --username changed nothing"

  # A profile without credentials needs no keyring to be exported.
  run add n "$proxy" --auth none </dev/null
  is "$RC" 0 "$tag: add --auth none"
  run export n </dev/null
  is "$RC" 0 "$tag: export of a profile without credentials needs no keyring"
  like "$OUT" "^export http_proxy='$proxy/?'$" "$tag: ... and prints its URL"
}

# --- a) no session bus ---

diag "a) no session bus: $DBUS_SESSION_BUS_ADDRESS"
fresh_config
unreachable_cases "no bus" '[Bb]us'

# --- b) a session bus without a Secret Service ---

# Debian's session.conf has <standard_session_servicedirs/>, through which
# the bus would start gnome-keyring on demand. This one has no service
# directory at all.
cat > "$work/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$work</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

start_bus() {
  : > "$work/bus.address"
  dbus-daemon --config-file="$work/bus.conf" --nofork --print-address=3 \
    3>"$work/bus.address" 2>"$work/bus.err" &
  bus_pid=$!
  for _ in $(seq 100); do
    if [ -s "$work/bus.address" ]; then
      DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$work/bus.address")
      export DBUS_SESSION_BUS_ADDRESS
      return 0
    fi
    sleep 0.1
  done
  echo "Bail out! dbus-daemon did not start: $(cat "$work/bus.err")"
  exit 1
}

stop_bus() {
  kill "$bus_pid" 2>/dev/null
  wait "$bus_pid" 2>/dev/null
  bus_pid=
}

bus_call() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method "org.freedesktop.DBus.$1" "${@:2}" 2>/dev/null
}

start_bus
diag "b) a bus without a Secret Service: $DBUS_SESSION_BUS_ADDRESS"
unlike "$(bus_call ListActivatableNames)" 'org\.freedesktop\.secrets' \
  "no Secret Service: nothing can activate org.freedesktop.secrets"
fresh_config
unreachable_cases "no Secret Service" '[Ss]ecret [Ss]ervice|org\.freedesktop\.secrets'
like "$(bus_call NameHasOwner org.freedesktop.secrets)" false \
  "no Secret Service: still nobody owns org.freedesktop.secrets"
stop_bus

# --- c) a locked keyring ---

start_bus
diag "c) a locked keyring on $DBUS_SESSION_BUS_ADDRESS"
fresh_config
rm -rf "$XDG_DATA_HOME/keyrings"
printf '%s' gatepass-test-keyring |
  gnome-keyring-daemon --foreground --unlock --components=secrets >"$work/keyring.log" 2>&1 &
keyring_pid=$!

# Ask the bus before calling the service (which cannot be activated here
# anyway): wait until the daemon owns the name and has a default keyring.
keyring_up=false
for _ in $(seq 100); do
  if bus_call NameHasOwner org.freedesktop.secrets | grep -q true &&
     gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
       --method org.freedesktop.Secret.Service.ReadAlias default 2>/dev/null |
     grep -q /org/freedesktop/secrets/collection/; then
    keyring_up=true
    break
  fi
  sleep 0.1
done
[ "$keyring_up" = true ] ||
  { echo "Bail out! gnome-keyring-daemon did not come up: $(cat "$work/keyring.log")"; exit 1; }

collection=$(gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.ReadAlias default | grep -o "/org/freedesktop/secrets/collection/[A-Za-z0-9_]*")
locked() {
  gdbus call --session --dest org.freedesktop.secrets --object-path "$collection" \
    --method org.freedesktop.DBus.Properties.Get org.freedesktop.Secret.Collection Locked 2>/dev/null
}

run add p "$proxy" --username u --password-stdin < <(printf '%s' 'pass word')
is "$RC" 0 "locked: add with a password while unlocked"
run export p </dev/null
is "$RC" 0 "locked: export works while unlocked"
like "$OUT" "http_proxy='http://u:pass%20word@127\.0\.0\.1:3129/?'" "locked: ... with the password"

gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['$collection']" >/dev/null
like "$(locked)" true "locked: the keyring $collection is locked now"

run export p </dev/null
keyring_error "locked: export" '[Ll]ocked'
run export p --format json </dev/null
keyring_error "locked: export --format json" '[Ll]ocked'
run set-password p < <(printf '%s' 'new pass')
keyring_error "locked: set-password" '[Ll]ocked'
run remove p </dev/null
keyring_error "locked: remove" '[Ll]ocked'
ok "locked: remove left the profile in place" listed p
run edit p --auth none </dev/null
keyring_error "locked: edit --auth none" '[Ll]ocked'
run edit p --username v </dev/null
keyring_error "locked: edit --username" '[Ll]ocked'
run show p --json </dev/null
is "$(json_field "$OUT" "[v['auth'], v['username']]")" '["password", "u"]' \
  "locked: the failed edits changed nothing"

run add q "$proxy" --username u --password-stdin < <(printf '%s' 'pass word')
keyring_error "locked: add with a password" '[Ll]ocked'
ok "locked: add with a password saved no profile" eval '! listed q'

run list --json </dev/null
is "$RC" 0 "locked: list --json still works"
like "$(json_field "$OUT" "[p['has_password'] for p in v]")" '^\[(true|null)\]$' \
  "locked: list --json: has_password is true or null"
run show p --json </dev/null
is "$RC" 0 "locked: show --json still works"
like "$(json_field "$OUT" "v['has_password']")" '^(true|null)$' "locked: show --json: has_password is true or null"

like "$(locked)" true "locked: nothing unlocked the keyring"

done_testing
