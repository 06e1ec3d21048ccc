# SPDX-License-Identifier: GPL-3.0-or-later
#
# A Secret Service that stops answering must not stall a login script:
# `--headless` gives each command one 5 s keyring budget (CLI.md). The
# keyring is the real gnome-keyring-daemon of keyring-session.sh, frozen
# with SIGSTOP after the passwords are stored, so that every D-Bus call to
# it waits for a reply that never comes (without the budget: two D-Bus
# timeouts, 50 s). Then every command must end within 5 + 3 s: `test`
# with keyring-error for each profile that needs a password (all of them
# at once in `test --all`), the other commands with exit 3 and one line
# on stderr, `show` and `list` still succeeding; profiles.ini unchanged;
# no password anywhere. A profile without credentials still tests and
# exports as if nothing were wrong. The daemon is resumed at the end, and
# the keyring is checked to hold exactly what it held before.
#
# Runs as `keyring-session.sh proxy-lab.sh bash test-keyring-hang.sh`.

here=${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}
. "$here/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"
: "${GP_LAB_OPEN:?run this under tests/proxy-lab.sh}"

work=$GATEPASS_TEST_TMPDIR/keyring-hang
mkdir -p "$work"
: >"$work/all-output"
profiles=$XDG_CONFIG_HOME/gatepass/profiles.ini
password='hang p@ss:w/rd #?%'
new_password='never stored 9'
budget_ms=5000
limit_ms=$((budget_ms + 3000))
n_many=80    # more than the 64 probes test --all keeps in flight

keyring_pid=
resume_keyring() {
  [ -n "$keyring_pid" ] && kill -CONT "$keyring_pid" 2>/dev/null
  keyring_pid=
  return 0
}
# A frozen daemon would also stall keyring-session.sh's own cleanup.
trap resume_keyring EXIT

json_get() {
  python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2])))' \
    "$1" "$2" 2>/dev/null || echo '<invalid JSON>'
}

# run ARGS... [< input]: `gatepass --headless ARGS`; a hang becomes 124
# after 60 s. Sets OUT, ERR, ERR_LINES, RC and MS (wall time); keeps every
# output for the leak check at the end.
run() {
  local start end
  start=$(date +%s%N)
  timeout 60 "$GATEPASS" --headless "$@" >"$work/out" 2>"$work/err"
  RC=$?
  end=$(date +%s%N)
  MS=$(( (end - start) / 1000000 ))
  OUT=$(cat "$work/out")
  ERR=$(cat "$work/err")
  ERR_LINES=$(grep -c '' "$work/err")
  cat "$work/out" "$work/err" >>"$work/all-output"
}

within_budget() {
  ok "$1: ended within $((limit_ms / 1000)) s (took $MS ms)" test "$MS" -lt "$limit_ms"
}

unchanged() {
  ok "$1: profiles.ini is unchanged" cmp -s "$profiles" "$work/profiles.before"
}

# keyring_timeout DESCRIPTION: the last `run` failed as a stuck keyring
# must: in time, exit 3, nothing on stdout, one line that says so.
keyring_timeout() {
  within_budget "$1"
  is "$RC" 3 "$1: exit status 3"
  is "$OUT" "" "$1: nothing on stdout"
  is "$ERR_LINES" 1 "$1: one line on stderr"
  like "$ERR" 'keyring.*did not answer within 5 s' "$1: the line says the keyring did not answer"
}

keyring_items() {
  secret-tool search --all xdg:schema io.github.gatepass.Profile 2>&1 | grep -c '^attribute.profile' || true
}

# --- set up while the keyring answers -------------------------------------

echo_url=$GP_LAB_ECHO_HTTP/
run add pw "$GP_LAB_OPEN" --username alice --password-stdin < <(printf '%s' "$password")
is "$RC" 0 "add a password profile while the keyring answers"
for i in $(seq "$n_many"); do
  "$GATEPASS" --headless add "many-$i" "$GP_LAB_OPEN" --username "user$i" --password-stdin \
    < <(printf '%s' "$password") >/dev/null 2>&1 || diag "add many-$i failed"
done
run add open "$GP_LAB_OPEN" --auth none </dev/null
is "$RC" 0 "add a profile without credentials"
run test open --ip-echo "$echo_url" --json </dev/null
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["ok"]' "the open profile tests ok while the keyring answers"
run test pw --ip-echo "$echo_url" --json </dev/null
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["ok"]' "the password profile tests ok while the keyring answers"
items_before=$(keyring_items)
is "$items_before" $((n_many + 1)) "the keyring holds one item per password profile"
cp "$profiles" "$work/profiles.before"

# --- freeze the Secret Service ----------------------------------------------

keyring_pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets 2>/dev/null |
  grep -o '[0-9]\+' | tail -n 1)
[ -n "$keyring_pid" ] || { echo "Bail out! cannot find the process that owns org.freedesktop.secrets"; exit 1; }
like "$(ps -o comm= -p "$keyring_pid")" 'gnome-keyring' "the Secret Service is gnome-keyring-daemon ($keyring_pid)"
kill -STOP "$keyring_pid"
like "$(ps -o stat= -p "$keyring_pid")" '^T' "gnome-keyring-daemon is stopped"

# --- test ------------------------------------------------------------------

run test pw --timeout 5 --ip-echo "$echo_url" --json </dev/null
within_budget "test NAME"
ok "test NAME: waited for the keyring's budget (took $MS ms)" test "$MS" -ge $((budget_ms - 500))
is "$RC" 1 "test NAME: exit status 1"
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["keyring-error"]' "test NAME: verdict keyring-error"
like "$(json_get "$OUT" 'j[0]["advice"]')" '.' "test NAME: with advice"

run test --all --timeout 5 --ip-echo "$echo_url" --json </dev/null
within_budget "test --all of $((n_many + 2)) profiles"
is "$RC" 1 "test --all: exit status 1"
is "$(json_get "$OUT" 'sorted(set(r["verdict"] for r in j if r["profile"] != "open"))')" '["keyring-error"]' \
  "test --all: every password profile is keyring-error"
is "$(json_get "$OUT" 'len(j)')" $((n_many + 2)) "test --all: one result per profile"
is "$(json_get "$OUT" '[r["verdict"] for r in j if r["profile"] == "open"]')" '["ok"]' \
  "test --all: the profile without credentials is ok all the same"

run test open --ip-echo "$echo_url" --json </dev/null
is "$RC" 0 "test of a profile without credentials: exit 0"
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["ok"]' "test of a profile without credentials: ok"
ok "test of a profile without credentials: never waits for the keyring (took $MS ms)" test "$MS" -lt 3000

# --- the other commands ------------------------------------------------------

run export pw </dev/null
keyring_timeout "export NAME"
run export pw --format json </dev/null
keyring_timeout "export NAME --format json"

run export open </dev/null
is "$RC" 0 "export of a profile without credentials: exit 0"
like "$OUT" "^export http_proxy='$GP_LAB_OPEN/?'$" "export of a profile without credentials: its URL"
ok "export of a profile without credentials: never waits for the keyring (took $MS ms)" test "$MS" -lt 3000

run show pw --json </dev/null
within_budget "show NAME --json"
is "$RC" 0 "show NAME --json: exit 0"
is "$(json_get "$OUT" 'j["has_password"]')" null "show NAME --json: has_password is null"
is "$(json_get "$OUT" 'j["username"]')" '"alice"' "show NAME --json: the rest is there"

run show pw </dev/null
within_budget "show NAME"
is "$RC" 0 "show NAME: exit 0"
like "$OUT" 'Password: +unknown' "show NAME: the password state is unknown"

run list --json </dev/null
within_budget "list --json"
is "$RC" 0 "list --json: exit 0"
is "$(json_get "$OUT" 'sorted(set(p["has_password"] for p in j if p["auth"] == "password"))')" '[null]' \
  "list --json: has_password is null for every password profile"

run set-password pw < <(printf '%s' "$new_password")
keyring_timeout "set-password NAME"
unchanged "set-password NAME"

run add new "$GP_LAB_OPEN" --username bob --password-stdin < <(printf '%s' "$new_password")
keyring_timeout "add --password-stdin"
unchanged "add --password-stdin"

run remove pw </dev/null
keyring_timeout "remove NAME"
unchanged "remove NAME"

run edit pw --auth none </dev/null
keyring_timeout "edit NAME --auth none"
unchanged "edit NAME --auth none"

run edit pw --username carol </dev/null
keyring_timeout "edit NAME --username"
unchanged "edit NAME --username"

# --- resume it -----------------------------------------------------------------

resume_keyring
# Everything printed so far must hold no password; this export's output does.
leak_bytes=$(wc -c <"$work/all-output")
run export pw </dev/null
is "$RC" 0 "export works again once the keyring answers"
like "$OUT" "http_proxy='http://alice:hang%20p%40ss%3Aw%2Frd%20%23%3F%25@" \
  "export: the password is the one stored before (set-password changed nothing)"
is "$(keyring_items)" "$items_before" "the keyring holds what it held before: no item added or removed"

encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$password")
head -c "$leak_bytes" "$work/all-output" >"$work/leak-check"
for secret in "$password" "$encoded" "$new_password" \
              "$(printf 'alice:%s' "$password" | base64 -w0)"; do
  ok "no output holds a form of the password (${#secret} bytes)" not grep -qF -- "$secret" "$work/leak-check"
done

done_testing
