#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A stand-in for the systemd user manager on the tests' private session bus.
#
# systemd --user cannot run on the machines the tests run on (there is no
# user manager to start, and `systemd --user` exits at once), yet
# `gatepass --headless activate` talks to it. This is the ONE stand-in in
# the suite: the keyring, the bus, dconf and the activation environment
# are all real. It only records: it owns org.freedesktop.systemd1, exports
# /org/freedesktop/systemd1 with the two methods of
# org.freedesktop.systemd1.Manager that Gatepass calls (SetEnvironment,
# UnsetEnvironment) and the Environment property, keeps that environment in
# memory as the real manager does, and appends every call, as one JSON line
# {"method": "...", "args": [...]}, to LOG. It starts nothing.
#
# Usage: systemd-standin.py [--hang-on-set] [--log-reads] LOG
#
#   --hang-on-set   SetEnvironment is logged but never answered, so that a
#                   caller can be killed while it waits (the crash case).
#   --log-reads     reads of the Environment property are logged too, as
#                   {"method": "Get", "args": [["Environment"]]}, so that a
#                   test can tell that nothing asked the manager at all.
#
# Ready signal: the name is requested only once the object is exported, so
# `gdbus wait --session org.freedesktop.systemd1` returns when calls can be
# made.

import argparse
import json
import sys

from gi.repository import Gio, GLib

NAME = "org.freedesktop.systemd1"
PATH = "/org/freedesktop/systemd1"
INTERFACE = "org.freedesktop.systemd1.Manager"

XML = f"""
<node>
  <interface name="{INTERFACE}">
    <method name="SetEnvironment"><arg type="as" name="assignments" direction="in"/></method>
    <method name="UnsetEnvironment"><arg type="as" name="names" direction="in"/></method>
    <property name="Environment" type="as" access="read"/>
  </interface>
</node>
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hang-on-set", action="store_true")
    parser.add_argument("--log-reads", action="store_true")
    parser.add_argument("log")
    args = parser.parse_args()

    # The manager's environment, in the order the names were first set.
    environment = {}
    pending = []  # unanswered invocations of --hang-on-set stay alive here
    log = open(args.log, "a", encoding="utf-8")
    loop = GLib.MainLoop()

    def record(method, call_args):
        # Written before the reply, so a caller that got its answer finds
        # its call in the log.
        log.write(json.dumps({"method": method, "args": call_args}) + "\n")
        log.flush()

    def on_call(connection, sender, path, interface, method, parameters, invocation):
        (strings,) = parameters.unpack()
        record(method, [strings])
        if method == "SetEnvironment":
            bad = [s for s in strings if "=" not in s or s.startswith("=")]
            if bad:
                invocation.return_dbus_error("org.freedesktop.DBus.Error.InvalidArgs",
                                             f"not NAME=VALUE: {bad[0]!r}")
                return
            for assignment in strings:
                name, value = assignment.split("=", 1)
                environment[name] = value
            if args.hang_on_set:
                pending.append(invocation)
                return
        else:  # UnsetEnvironment
            for name in strings:
                environment.pop(name, None)
        invocation.return_value(None)

    def on_get_property(connection, sender, path, interface, prop):
        if args.log_reads:
            record("Get", [[prop]])
        return GLib.Variant("as", [f"{k}={v}" for k, v in environment.items()])

    def on_bus_acquired(connection, name):
        info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
        connection.register_object(PATH, info, on_call, on_get_property, None)

    def on_name_lost(connection, name):
        print(f"systemd-standin: could not own {NAME} (or lost the bus)", file=sys.stderr)
        loop.quit()

    # DO_NOT_QUEUE: a second stand-in fails loudly instead of waiting.
    Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.DO_NOT_QUEUE,
                     on_bus_acquired, None, on_name_lost)
    loop.run()
    return 1


if __name__ == "__main__":
    sys.exit(main())
