#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# io.github.gatepass.Test.EnvRecorder, a service of the tests' private bus
# (tests/session-bus.sh): started by the bus, it writes the whole
# environment it was started with, NUL-separated as `env -0` does, to the
# file given, then takes its name (which completes the activation for the
# caller) and exits. What an application started from the desktop after
# `activate` would get.

import os
import sys

from gi.repository import Gio, GLib

out = sys.argv[1]
with open(out + ".part", "wb") as f:
    f.write(b"".join(k + b"=" + v + b"\0" for k, v in os.environb.items()))
os.replace(out + ".part", out)

bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
# 4: DBUS_NAME_FLAG_DO_NOT_QUEUE
bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
              GLib.Variant("(su)", ("io.github.gatepass.Test.EnvRecorder", 4)), None,
              Gio.DBusCallFlags.NONE, -1, None)
