#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# xvfb.sh COMMAND...: runs COMMAND on a private X server (Xvfb, one
# 1280x800x24 screen, on a display number that is free right now), then
# stops the server and exits with COMMAND's status.
#
# Normally the innermost wrapper: `keyring-session.sh proxy-lab.sh xvfb.sh
# test-window`. COMMAND finds DISPLAY set and GTK pointed at X11, with
# settings in memory. GSETTINGS_SCHEMA_DIR is left as the caller set it
# (meson sets it to the build's compiled schema).
#
# Accessibility stays on. On a session bus (keyring-session.sh), GTK 4
# would have the bus start the AT-SPI bus launcher, whose daemons then
# write to the bus's stdout, i.e. into the TAP stream. So the launcher is
# started here, with its output in a log, and stopped at the end.
# NO_AT_BRIDGE=1 keeps GTK 3 helpers quiet.
#
# Environment: XVFB_SCREEN (default 1280x800x24).
set -u

if [ $# -eq 0 ]; then
  echo "Usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

command -v Xvfb >/dev/null 2>&1 || {
  echo "Bail out! xvfb.sh: Xvfb is not installed (apt-get install xvfb)"
  exit 1
}

dir=$(mktemp -d "${GATEPASS_TEST_TMPDIR:-${TMPDIR:-/tmp}}/xvfb.XXXXXX")
xvfb_pid=
atspi_pid=
command_pid=

# descendants PID: PID's children, grandchildren, ...
descendants() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

stop() {
  local pid atspi_all=
  [ -n "$atspi_pid" ] && atspi_all="$atspi_pid $(descendants "$atspi_pid")"
  for pid in $command_pid $atspi_all $xvfb_pid; do
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  command_pid=
  atspi_pid=
  xvfb_pid=
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM HUP
  stop
  rm -rf "$dir"
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# -displayfd: Xvfb picks the first free display number itself and writes it
# (with a newline) to that descriptor once it accepts connections, so there
# is no race with another server starting at the same time.
Xvfb -displayfd 3 -screen 0 "${XVFB_SCREEN:-1280x800x24}" -nolisten tcp -noreset \
  3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
xvfb_pid=$!

display=
for _ in $(seq 200); do
  # read fails until the whole line, newline included, is there.
  if read -r display 2>/dev/null <"$dir/display"; then
    break
  fi
  display=
  if ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "Bail out! xvfb.sh: Xvfb exited"
    sed 's/^/# xvfb: /' "$dir/xvfb.log" | tail -n 5
    exit 1
  fi
  sleep 0.05
done
if [ -z "$display" ]; then
  echo "Bail out! xvfb.sh: Xvfb did not report a display within 10 s"
  exit 1
fi

export DISPLAY=":$display"
export GDK_BACKEND=x11
export NO_AT_BRIDGE=1
export GSETTINGS_BACKEND=memory
unset WAYLAND_DISPLAY

has_owner() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null | grep -q true
}

launcher=/usr/libexec/at-spi-bus-launcher
if [ -x "$launcher" ] && [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && has_owner org.freedesktop.DBus; then
  "$launcher" --launch-immediately >"$dir/at-spi.log" 2>&1 </dev/null &
  atspi_pid=$!
  for _ in $(seq 100); do
    has_owner org.a11y.Bus && break
    sleep 0.05
  done
fi

# In the background, so that a signal to us stops COMMAND and the server.
"$@" <&0 &
command_pid=$!
wait "$command_pid"
rc=$?
command_pid=
exit "$rc"
