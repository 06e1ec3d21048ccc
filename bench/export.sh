#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# How much does `gatepass --headless export NAME` cost a login script,
# compared with the cheapest way to read the same password from the
# keyring, `secret-tool lookup`? Both do one real Secret Service lookup.
#
#   bench/export.sh [-n RUNS]      (default 200 runs of each, alternating)
#
# Runs itself in a private keyring session (tests/keyring-session.sh); builds
# nothing: it uses $GATEPASS, else _build/src/gatepass. Goal: the median of
# the per-run ratios export/lookup is at most 1.1 (issue 8: gatepass links
# no libsoup; it was 1.23 while it did). Exit status 0 when met.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
goal=1.1

usage() { echo "Usage: $0 [-n RUNS]"; }

runs=200
while getopts 'n:h' opt; do
  case $opt in
    n) runs=$OPTARG ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case $runs in
  ''|*[!0-9]*|0) echo "$0: -n wants a positive number, not '$runs'" >&2; exit 2 ;;
esac

if [ "${GATEPASS_KEYRING_SESSION:-}" != running ]; then
  GATEPASS=${GATEPASS:-$root/_build/src/gatepass}
  GATEPASS=$(readlink -f "$GATEPASS")
  if [ ! -x "$GATEPASS" ]; then
    echo "$0: no gatepass at $GATEPASS; build it first (build-aux/dev test, or ninja -C _build)" >&2
    exit 1
  fi
  command -v secret-tool >/dev/null || { echo "$0: secret-tool is missing (libsecret-tools)" >&2; exit 1; }
  export GATEPASS
  exec "$root/tests/keyring-session.sh" bash "$(readlink -f "$0")" -n "$runs"
fi

name=bench
user=bench-user
password='b3nch p@ss:w/rd'

printf '%s' "$password" |
  "$GATEPASS" --headless add "$name" http://127.0.0.1:3129 --username "$user" --password-stdin
id=$("$GATEPASS" --headless show "$name" --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

# Both commands must really return the password before we time them.
got=$(secret-tool lookup xdg:schema io.github.gatepass.Profile profile "$id" username "$user")
[ "$got" = "$password" ] || { echo "$0: secret-tool lookup did not find the password" >&2; exit 1; }
"$GATEPASS" --headless export "$name" | grep -q "b3nch%20p%40ss%3Aw%2Frd@" ||
  { echo "$0: export did not print the password" >&2; exit 1; }

exec python3 - "$runs" "$goal" "$GATEPASS" "$name" "$id" "$user" <<'EOF'
import statistics, subprocess, sys, time

runs, goal = int(sys.argv[1]), float(sys.argv[2])
gatepass, name, pid, user = sys.argv[3:7]
export = [gatepass, "--headless", "export", name]
lookup = ["secret-tool", "lookup", "xdg:schema", "io.github.gatepass.Profile",
          "profile", pid, "username", user]

def timed(cmd):
    start = time.perf_counter_ns()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter_ns() - start) / 1e6

for _ in range(5):  # warm caches, the daemon, the page cache
    timed(export); timed(lookup)

t_export, t_lookup, ratios = [], [], []
for i in range(runs):
    # Alternate which goes first, so neither always runs on a warmer system.
    if i % 2:
        b = timed(lookup); a = timed(export)
    else:
        a = timed(export); b = timed(lookup)
    t_export.append(a); t_lookup.append(b); ratios.append(a / b)

med_e, med_l = statistics.median(t_export), statistics.median(t_lookup)
ratio = statistics.median(ratios)
print(f"runs:                       {runs} of each, alternating")
print(f"gatepass --headless export: median {med_e:7.2f} ms")
print(f"secret-tool lookup:         median {med_l:7.2f} ms")
print(f"export/lookup:              median ratio {ratio:.2f} (ratio of medians {med_e / med_l:.2f})")
verdict = "PASS" if ratio <= goal else "FAIL"
print(f"{verdict}: goal is a median ratio <= {goal}")
sys.exit(0 if ratio <= goal else 1)
EOF
