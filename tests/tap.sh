# SPDX-License-Identifier: GPL-3.0-or-later
#
# A few TAP helpers for the shell tests. Source it; call done_testing last.

_tap_count=0
_tap_failed=0

_tap_report() {
  _tap_count=$((_tap_count + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $_tap_count - $2"
  else
    echo "not ok $_tap_count - $2"
    _tap_failed=$((_tap_failed + 1))
  fi
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# ok DESCRIPTION COMMAND...: passes when the command succeeds.
ok() {
  local desc=$1; shift
  "$@"
  _tap_report $? "$desc"
}

# not COMMAND...: succeeds when the command fails (for ok).
not() { ! "$@"; }

# is GOT EXPECTED DESCRIPTION
is() {
  if [ "$1" = "$2" ]; then
    _tap_report 0 "$3"
  else
    _tap_report 1 "$3"
    diag "got:      $(printf '%q' "$1")" "expected: $(printf '%q' "$2")"
  fi
}

# like TEXT REGEX DESCRIPTION (grep -E)
like() {
  if printf '%s' "$1" | grep -Eq -- "$2"; then
    _tap_report 0 "$3"
  else
    _tap_report 1 "$3"
    diag "got:      $(printf '%q' "$1")" "expected: /$2/"
  fi
}

# unlike TEXT REGEX DESCRIPTION
unlike() {
  if printf '%s' "$1" | grep -Eq -- "$2"; then
    _tap_report 1 "$3"
    diag "got:      $(printf '%q' "$1")" "must not match: /$2/"
  else
    _tap_report 0 "$3"
  fi
}

# gp ARGS...: runs `gatepass --headless ARGS`, setting OUT, ERR and RC.
# Standard input is passed on (use `gp ... <<<"secret"` or `< /dev/null`).
gp() {
  local out_file err_file
  out_file=$(mktemp "$GATEPASS_TEST_TMPDIR/out.XXXXXX")
  err_file=$(mktemp "$GATEPASS_TEST_TMPDIR/err.XXXXXX")
  "$GATEPASS" --headless "$@" >"$out_file" 2>"$err_file"
  RC=$?
  OUT=$(cat "$out_file")
  ERR=$(cat "$err_file")
  rm -f "$out_file" "$err_file"
}

# free_port: prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

done_testing() {
  echo "1..$_tap_count"
  [ "$_tap_failed" -eq 0 ]
}
