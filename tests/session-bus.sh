#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command as keyring-session.sh does (a hermetic home, a private
# session bus, a real unlocked keyring), on a bus that also has what
# applying a profile to the session reaches:
#
# - dconf, real: GSETTINGS_BACKEND=dconf, and Debian's ca.desrt.dconf
#   service activated on the private bus, so GNOME's proxy settings land in
#   the hermetic $XDG_CONFIG_HOME/dconf/user;
# - the activation environment, real: the bus's own, seen by
#   io.github.gatepass.Test.EnvRecorder (tests/env-recorder.py), a
#   D-Bus-activatable service that records the environment it was started
#   with and exits;
# - the systemd user manager, a stand-in (tests/systemd-standin.py: systemd
#   --user cannot run here) that records the calls it gets; not started
#   with GP_NO_SYSTEMD=1;
# - a tripwire: activating org.freedesktop.systemd1 (which Debian's service
#   file would try, and fail) leaves a file behind instead.
#
# The command gets:
#   GP_SYSTEMD_STANDIN      the stand-in, to start more (e.g. --hang-on-set)
#   GP_SYSTEMD_LOG          its log, one JSON line per call
#   GP_SYSTEMD_STANDIN_PID  the stand-in started here (unset with GP_NO_SYSTEMD=1)
#   GP_SYSTEMD_AUTOSTARTED  the file the tripwire creates
#   GP_ENV_RECORD           run it to start the recorder: it then prints the
#                           recorded environment, NUL-separated (env -0)
#   GP_ENV_RECORDER_OUT     where the recorder writes that environment
set -eu

here=$(dirname "$(readlink -f "$0")")

case ${GATEPASS_SESSION_BUS:-} in
'')
  export GATEPASS_SESSION_BUS=home
  exec "$here/hermetic.sh" "$0" "$@"
  ;;

home)
  # In the hermetic home, before the bus exists: its configuration and the
  # test services, under the test's own temporary folder (never under
  # $HOME or an XDG folder, which the tests search for passwords; the
  # recorder's output and the stand-in's log hold them by design).
  bus="$GATEPASS_TEST_TMPDIR/bus"
  mkdir -p "$bus/services"

  cat > "$bus/systemd1-autostart" <<'EOF'
#!/bin/sh
# Started by the bus when someone asked it to start the systemd manager.
touch "$1"
exit 1
EOF
  chmod 755 "$bus/systemd1-autostart"

  # (The bus splits Exec lines like a shell: these paths must have no
  # spaces; mktemp's folder has none, nor has a checkout of Gatepass.)
  cat > "$bus/services/io.github.gatepass.Test.EnvRecorder.service" <<EOF
[D-BUS Service]
Name=io.github.gatepass.Test.EnvRecorder
Exec=$here/env-recorder.py $bus/env-recorder.env
EOF
  cat > "$bus/services/org.freedesktop.systemd1.service" <<EOF
[D-BUS Service]
Name=org.freedesktop.systemd1
Exec=$bus/systemd1-autostart $bus/systemd1-autostarted
EOF

  # The first service folder wins over the standard ones of session.conf
  # (where Debian's org.freedesktop.systemd1.service and dconf's are).
  cat > "$bus/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>$bus/services</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
EOF

  # Starts the recorder through the bus and prints what it recorded. The
  # bus answers once the recorder holds its name: by then the file is
  # complete.
  cat > "$bus/record-activation-env" <<EOF
#!/bin/sh
set -e
rm -f '$bus/env-recorder.env'
gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \\
  --method org.freedesktop.DBus.StartServiceByName io.github.gatepass.Test.EnvRecorder 0 >/dev/null
cat '$bus/env-recorder.env'
EOF
  chmod 755 "$bus/record-activation-env"

  export GP_ENV_RECORD="$bus/record-activation-env"
  export GP_ENV_RECORDER_OUT="$bus/env-recorder.env"
  export GP_SYSTEMD_STANDIN="$here/systemd-standin.py"
  export GP_SYSTEMD_LOG="$bus/systemd.log"
  export GP_SYSTEMD_AUTOSTARTED="$bus/systemd1-autostarted"
  # Settings through dconf, whose service the bus starts with this
  # environment: its database is $XDG_CONFIG_HOME/dconf/user.
  export GSETTINGS_BACKEND=dconf
  export GATEPASS_SESSION_BUS=bus GATEPASS_BUS_CONFIG="$bus/session.conf"
  exec "$here/keyring-session.sh" "$0" "$@"
  ;;

bus)
  ;;

*)
  echo "Bail out! session-bus.sh: unexpected GATEPASS_SESSION_BUS=$GATEPASS_SESSION_BUS"
  exit 1
  ;;
esac

# On the bus, with the keyring unlocked.
: > "$GP_SYSTEMD_LOG"
if [ "${GP_NO_SYSTEMD:-0}" != 1 ]; then
  "$GP_SYSTEMD_STANDIN" "$GP_SYSTEMD_LOG" &
  export GP_SYSTEMD_STANDIN_PID=$!
  trap 'kill "$GP_SYSTEMD_STANDIN_PID" 2>/dev/null || true' EXIT
  if ! gdbus wait --session --timeout 10 org.freedesktop.systemd1; then
    echo "Bail out! the systemd stand-in did not own org.freedesktop.systemd1 within 10 s"
    exit 1
  fi
fi

rc=0
"$@" || rc=$?
exit "$rc"
