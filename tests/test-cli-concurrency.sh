#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Many gatepass processes changing profiles.ini at once lose nothing: saves
# are serialised by a lock and replace the file atomically.
. "$GATEPASS_TESTS_SRCDIR/tap.sh"

profiles="$XDG_CONFIG_HOME/gatepass/profiles.ini"
n=20

for round in 1 2 3; do
  pids=()
  for i in $(seq "$n"); do
    "$GATEPASS" --headless add "r$round-p$i" "http://proxy$i.example:$((3000 + i))" </dev/null \
      2>"$GATEPASS_TEST_TMPDIR/err-$round-$i" &
    pids+=($!)
  done
  failures=0
  for pid in "${pids[@]}"; do
    wait "$pid" || failures=$((failures + 1))
  done
  is "$failures" 0 "round $round: $n concurrent adds all succeed"
  is "$("$GATEPASS" --headless list | grep -c " r$round-p")" "$n" "round $round: all $n profiles are listed"
done

# Removes and adds racing each other.
pids=()
for i in $(seq "$n"); do
  "$GATEPASS" --headless remove "r1-p$i" </dev/null &
  pids+=($!)
  "$GATEPASS" --headless add "r4-p$i" "http://proxy.example:$((4000 + i))" </dev/null &
  pids+=($!)
done
failures=0
for pid in "${pids[@]}"; do
  wait "$pid" || failures=$((failures + 1))
done
is "$failures" 0 "concurrent removes and adds all succeed"
gp list
is "$(printf '%s\n' "$OUT" | grep -c ' r1-p')" 0 "every removed profile is gone"
is "$(printf '%s\n' "$OUT" | grep -c ' r4-p')" "$n" "every added profile is there"
is "$(printf '%s\n' "$OUT" | wc -l)" "$((3 * n))" "nothing else was lost or duplicated"

is "$(find "$(dirname "$profiles")" -type f | sort | xargs -n1 basename | tr '\n' ' ')" \
   "profiles.ini profiles.ini.lock " "no temporary file is left behind"
is "$(stat -c %a "$profiles")" 600 "the file stays private"

done_testing
