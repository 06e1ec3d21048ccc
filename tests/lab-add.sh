# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by the tests that drive `gatepass --headless test` against the
# proxy lab: add NAME URL [USER PASSWORD] creates a profile (the password
# on stdin, never in argv), keeps what gatepass said in $work/all-output
# for the leak checks, and bails out when it fails.

add() {
  if [ $# -ge 4 ]; then
    timeout 20 "$GATEPASS" --headless add "$1" "$2" --username "$3" --password-stdin \
      < <(printf '%s' "$4") >"$work/add.out" 2>&1
  else
    timeout 20 "$GATEPASS" --headless add "$1" "$2" </dev/null >"$work/add.out" 2>&1
  fi
  local rc=$?
  cat "$work/add.out" >>"$work/all-output"
  [ "$rc" -eq 0 ] || { echo "Bail out! could not add profile $1: $(cat "$work/add.out")"; exit 1; }
}
