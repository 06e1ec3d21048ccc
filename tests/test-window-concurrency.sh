#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-window-concurrency.sh PARTY: two windows (two processes of PARTY,
# tests/test-window-party.c, each adding and then editing profiles
# through its editor) and five `gatepass --headless` loops (add with a
# password, then edit) change profiles.ini at the same time. No profile
# is lost: every one that any party added is in profiles.ini and in
# `list --json` with the fields its last save gave it, its password is in
# the keyring under its username, nothing is duplicated or orphaned, and
# both windows end up listing every profile.
#
# Runs as keyring-session.sh xvfb.sh bash test-window-concurrency.sh PARTY.

. "${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

party=${1:?usage: test-window-concurrency.sh TEST-WINDOW-PARTY}
: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"
if [ -z "${DISPLAY:-}" ]; then
  echo "Bail out! DISPLAY is not set: run under tests/xvfb.sh"
  exit 1
fi

work=$GATEPASS_TEST_TMPDIR/window-concurrency
mkdir -p "$work"
profiles=$XDG_CONFIG_HOME/gatepass/profiles.ini
windows=(A B)
per_window=4
clis=5
per_cli=8
deadline=60     # seconds for every party to finish; generous on a busy machine

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  return 0
}
trap cleanup EXIT

# One profile that exists before anyone starts.
"$GATEPASS" --headless add before http://127.0.0.1:3129 --auth none </dev/null ||
  { echo "Bail out! cannot add the first profile"; exit 1; }

for tag in "${windows[@]}"; do
  "$party" "win$tag" "$per_window" "$work" >"$work/window-$tag.log" 2>&1 &
  pids+=($!)
done

for _ in $(seq 300); do
  [ -e "$work/ready-winA" ] && [ -e "$work/ready-winB" ] && break
  sleep 0.1
done
if [ ! -e "$work/ready-winA" ] || [ ! -e "$work/ready-winB" ]; then
  echo "Bail out! the windows did not open within 30 s: $(cat "$work"/window-*.log)"
  exit 1
fi

# cli_loop K: adds cliK-1..N with a password, editing each right after.
cli_loop() {
  local k=$1 j rc=0
  for j in $(seq "$per_cli"); do
    "$GATEPASS" --headless add "cli$k-$j" "http://cli$k-$j.example:$((5000 + j))" \
      --username "cli$k-user-$j" --password-stdin <<<"cli$k-pw-$j" || rc=1
    "$GATEPASS" --headless edit "cli$k-$j" --url "http://cli$k-$j.example:$((6000 + j))" \
      --no-proxy "localhost,.cli$k.example" </dev/null || rc=1
  done
  return "$rc"
}

cli_pids=()
start=$(date +%s%N)
: > "$work/go"
for k in $(seq "$clis"); do
  cli_loop "$k" 2>"$work/cli-$k.err" &
  cli_pids+=($!)
  pids+=($!)
done

failures=0
for pid in "${cli_pids[@]}"; do
  wait "$pid" || failures=$((failures + 1))
done
cli_ms=$(( ($(date +%s%N) - start) / 1000000 ))
is "$failures" 0 "$clis command-line loops: every add and edit succeeded"
[ "$failures" -eq 0 ] || diag "$(cat "$work"/cli-*.err)"

# Until both are done, or one has given up.
for _ in $(seq $((deadline * 10))); do
  [ -e "$work/done-winA" ] && [ -e "$work/done-winB" ] && break
  kill -0 "${pids[0]}" 2>/dev/null && kill -0 "${pids[1]}" 2>/dev/null || break
  sleep 0.1
done
windows_ms=$(( ($(date +%s%N) - start) / 1000000 ))
# For the record (never asserted: the machine may be busy): how far the
# parties overlapped.
diag "the command lines took $cli_ms ms, the windows $windows_ms ms from the start"
for tag in "${windows[@]}"; do
  ok "window $tag: every add and edit through the editor saved" test -e "$work/done-win$tag"
done

total=$((1 + ${#windows[@]} * per_window + clis * per_cli))
echo "$total" > "$work/check.tmp" && mv "$work/check.tmp" "$work/check"   # whole, or not there
for i in "${!windows[@]}"; do
  tag=${windows[$i]}
  wait "${pids[$i]}"
  is "$?" 0 "window $tag: exited cleanly"
  [ -s "$work/window-$tag.log" ] && diag "window $tag: $(cat "$work/window-$tag.log")"
done

# The expected profiles, one line each: name url username no_proxy.
{
  echo "before http://127.0.0.1:3129 None []"
  for tag in "${windows[@]}"; do
    for i in $(seq "$per_window"); do
      echo "win$tag-$i http://win${tag,,}-$i.example:$((4000 + i)) win$tag-user-$i []"
    done
  done
  for k in $(seq "$clis"); do
    for j in $(seq "$per_cli"); do
      echo "cli$k-$j http://cli$k-$j.example:$((6000 + j)) cli$k-user-$j ['localhost', '.cli$k.example']"
    done
  done
} | sort > "$work/expected"
cut -d' ' -f1 "$work/expected" | sort > "$work/expected-names"

gp list --json </dev/null
is "$RC" 0 "list --json succeeds"
printf '%s' "$OUT" > "$work/list.json"
python3 - "$work/list.json" > "$work/listed" <<'EOF'
import json, sys
for p in json.load(open(sys.argv[1])):
    print(p['name'], p['url'], p['username'], p['no_proxy'])
EOF
sort -o "$work/listed" "$work/listed"
is "$(wc -l < "$work/listed")" "$total" "list --json: $total profiles, none lost, none twice"
is "$(diff "$work/expected" "$work/listed")" "" "list --json: every profile with the fields of its last save"
is "$(python3 -c 'import json, sys
print(sorted({(p["username"] is not None) == (p["has_password"] is True) for p in json.load(open(sys.argv[1]))}))' \
      "$work/list.json")" "[True]" "list --json: every profile with a username has its password"

# profiles.ini itself: each profile once, as its group.
is "$(grep -c '^\[profile ' "$profiles")" "$total" "profiles.ini: $total profile groups"
is "$(grep '^name=' "$profiles" | sort | uniq -d)" "" "profiles.ini: no name twice"
is "$(grep '^name=' "$profiles" | sed 's/^name=//' | sort)" "$(cat "$work/expected-names")" \
   "profiles.ini: every name is there"

# The keyring: one item per profile with credentials, under its username,
# holding the password that party gave it; nothing else.
secret-tool search --all xdg:schema io.github.gatepass.Profile 2>&1 |
  awk '/^\[/ { if (p != "") print p, u, s; p = u = s = "" }
       /^secret = / { s = substr($0, 10) }
       /^attribute.profile = / { p = $3 }
       /^attribute.username = / { u = $3 }
       END { if (p != "") print p, u, s }' > "$work/keyring"
python3 - "$work/list.json" "$work/keyring" > "$work/keyring-check" <<'EOF'
import json, re, sys
profiles = {p['id']: p for p in json.load(open(sys.argv[1]))}
for line in open(sys.argv[2]):
    id, username, secret = line.split(' ', 2)
    secret = secret.rstrip('\n')
    p = profiles.get(id)
    if p is None:
        print('orphan', id, username)
    elif p['username'] != username:
        print('wrong username', p['name'], username)
    elif secret != re.sub(r'-user-', '-pw-', username):
        print('wrong password', p['name'])
EOF
is "$(wc -l < "$work/keyring")" "$(( ${#windows[@]} * per_window + clis * per_cli ))" \
   "keyring: one item per profile with a password"
is "$(cat "$work/keyring-check")" "" "keyring: each under its profile and username, with its own password"

for tag in "${windows[@]}"; do
  is "$(sort "$work/listed-win$tag" 2>/dev/null)" "$(cat "$work/expected-names")" \
     "window $tag: its sidebar lists every profile in the end"
done

is "$(find "$(dirname "$profiles")" -type f | sort | xargs -n1 basename | tr '\n' ' ')" \
   "profiles.ini profiles.ini.lock " "no temporary file is left behind"

done_testing
