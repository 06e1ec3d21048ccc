#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# with-lab-ca.sh COMMAND...: runs COMMAND so that GIO (and everything else
# that reads the system CA bundle) trusts tests/proxy-lab.sh's throwaway CA:
# in a private mount namespace, $GP_LAB_CA_BUNDLE (the system bundle plus
# the lab CA) is bind-mounted over /etc/ssl/certs/ca-certificates.crt.
# GIO's default CA database cannot be replaced from outside; this changes
# nothing outside the namespace. Needs root (or a user namespace).
set -eu

: "${GP_LAB_CA_BUNDLE:?run this under tests/proxy-lab.sh}"
[ $# -gt 0 ] || { echo "Usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

exec unshare -m sh -c 'mount --bind "$GP_LAB_CA_BUNDLE" /etc/ssl/certs/ca-certificates.crt && exec "$@"' sh "$@"
