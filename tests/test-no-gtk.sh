#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `gatepass --headless` runs in login scripts: it must never load GTK or
# libadwaita, directly or through a dependency, and never need a display.
. "$GATEPASS_TESTS_SRCDIR/tap.sh"

libs=$(ldd "$GATEPASS")
is "$?" 0 "ldd reads the gatepass executable"
unlike "$libs" 'libgtk|libadwaita|libgdk' "gatepass links no GTK, GDK or libadwaita library"
like "$libs" 'libsecret' "(the check sees the real dependencies: libsecret is there)"

env -u DISPLAY -u WAYLAND_DISPLAY "$GATEPASS" --headless list >/dev/null
is "$?" 0 "headless commands run without a display"

done_testing
