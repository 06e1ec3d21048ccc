#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# How long does `gatepass --headless test --all` take for 50 profiles,
# compared with 50 curls in parallel doing the same requests? Both send
# each request through the lab's Basic squid to its echo server, with the
# right password (tests/proxy-lab.sh).
#
#   bench/test-all.sh [-n ROUNDS]     (default 10 rounds of each, alternating)
#
# Runs itself in a private keyring session with the proxy lab
# (tests/keyring-session.sh, tests/proxy-lab.sh); builds nothing: it uses
# $GATEPASS, else _build/src/gatepass, and $GP_ECHO_SERVER, else the one
# next to it. Goal: the median wall time of `test --all` is at most 1.5
# times that of the curls, and all 50 profiles are ok. Exit status 0 when met.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
goal=1.5
profiles=50

usage() { echo "Usage: $0 [-n ROUNDS]"; }

rounds=10
while getopts 'n:h' opt; do
  case $opt in
    n) rounds=$OPTARG ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case $rounds in
  ''|*[!0-9]*|0) echo "$0: -n wants a positive number, not '$rounds'" >&2; exit 2 ;;
esac

if [ "${GATEPASS_KEYRING_SESSION:-}" != running ] || [ -z "${GP_LAB_BASIC:-}" ]; then
  GATEPASS=${GATEPASS:-$root/_build/src/gatepass}
  GATEPASS=$(readlink -f "$GATEPASS")
  if [ ! -x "$GATEPASS" ]; then
    echo "$0: no gatepass at $GATEPASS; build it first (build-aux/dev test, or ninja -C _build)" >&2
    exit 1
  fi
  GP_ECHO_SERVER=${GP_ECHO_SERVER:-$(dirname "$(dirname "$GATEPASS")")/tests/gp-echo-server}
  if [ ! -x "$GP_ECHO_SERVER" ]; then
    echo "$0: no gp-echo-server at $GP_ECHO_SERVER; build it or set GP_ECHO_SERVER" >&2
    exit 1
  fi
  export GATEPASS GP_ECHO_SERVER
  export GSETTINGS_BACKEND=memory
  exec "$root/tests/keyring-session.sh" "$root/tests/proxy-lab.sh" \
    bash "$(readlink -f "$0")" -n "$rounds"
fi

echo_url=$GP_LAB_ECHO_HTTP/
for i in $(seq -w "$profiles"); do
  printf '%s' "$GP_LAB_PASSWORD" |
    "$GATEPASS" --headless add "bench-$i" "$GP_LAB_BASIC" --username "$GP_LAB_USER" --password-stdin
done

# curl's config on stdin, so that the password is not in argv either.
curl_config=$GATEPASS_TEST_TMPDIR/bench-curl.conf
python3 - "$GP_LAB_BASIC" "$GP_LAB_USER" "$GP_LAB_PASSWORD" "$echo_url" >"$curl_config" <<'EOF'
import sys
proxy, user, password, url = sys.argv[1:5]
q = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
print("silent\nshow-error\nmax-time = 30")
print("proxy = " + q(proxy))
print("proxy-user = " + q(user + ":" + password))
print("url = " + q(url))
EOF

exec python3 - "$rounds" "$goal" "$profiles" "$GATEPASS" "$echo_url" "$curl_config" <<'EOF'
import json, os, statistics, subprocess, sys, time

rounds, goal, profiles = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
gatepass, echo_url, curl_config = sys.argv[4:7]
test_all = [gatepass, "--headless", "test", "--all", "--json", "--ip-echo", echo_url, "--timeout", "30"]
# 50 curls at once, as xargs -P 50 runs them; each saves the exit address
# it was told in a file of its own.
out_dir = os.path.join(os.path.dirname(curl_config), "bench-curl-out")
os.makedirs(out_dir, exist_ok=True)
curls = ["sh", "-c", 'seq %d | xargs -P %d -I{} curl -K "$1" -o "$2/{}"' % (profiles, profiles),
         "sh", curl_config, out_dir]

def run_test_all():
    start = time.perf_counter_ns()
    p = subprocess.run(test_all, capture_output=True, text=True)
    ms = (time.perf_counter_ns() - start) / 1e6
    try:
        results = json.loads(p.stdout)
    except ValueError:
        sys.exit("test --all printed no JSON (exit status %d): %s" % (p.returncode, p.stderr.strip()))
    bad = [(r["profile"], r["verdict"]) for r in results if r["verdict"] != "ok" or r["exit_ip"] != "127.0.0.2"]
    return ms, len(results), bad, p.returncode

def run_curls():
    for name in os.listdir(out_dir):
        os.unlink(os.path.join(out_dir, name))
    start = time.perf_counter_ns()
    p = subprocess.run(curls, capture_output=True, text=True)
    ms = (time.perf_counter_ns() - start) / 1e6
    got = [open(os.path.join(out_dir, name)).read() for name in sorted(os.listdir(out_dir))]
    if p.returncode != 0 or got != ["127.0.0.2"] * profiles:
        sys.exit("the curls failed (exit status %d): %s" % (p.returncode, (p.stderr or p.stdout)[:300]))
    return ms

# Check both once, and warm the squid's credential cache and helpers.
ms, count, bad, rc = run_test_all()
if count != profiles or bad or rc != 0:
    print("test --all: %d results, exit status %d, not ok: %s" % (count, rc, bad[:5]))
    print("FAIL: every one of the %d profiles must be ok" % profiles)
    sys.exit(1)
run_curls()

t_gp, t_curl, ratios, failures = [], [], [], 0
for i in range(rounds):
    # Alternate which goes first, so neither always runs on a warmer system.
    if i % 2:
        b = run_curls(); a, count, bad, rc = run_test_all()
    else:
        a, count, bad, rc = run_test_all(); b = run_curls()
    if count != profiles or bad or rc != 0:
        failures += 1
    t_gp.append(a); t_curl.append(b); ratios.append(a / b)

med_gp, med_curl = statistics.median(t_gp), statistics.median(t_curl)
ratio = med_gp / med_curl
rows = [
    ("rounds:", f"{rounds} of each, alternating, {profiles} profiles"),
    ("gatepass --headless test --all:", f"median {med_gp:8.1f} ms (min {min(t_gp):.1f}, max {max(t_gp):.1f})"),
    (f"{profiles} curls (xargs -P {profiles}):", f"median {med_curl:8.1f} ms (min {min(t_curl):.1f}, max {max(t_curl):.1f})"),
    ("test --all / curls:", f"ratio of medians {ratio:.2f} (median ratio {statistics.median(ratios):.2f})"),
    (f"all {profiles} ok in every round:", "yes" if failures == 0 else f"no, in {failures} rounds"),
]
for label, value in rows:
    print(f"{label:<33} {value}")
passed = ratio <= goal and failures == 0
print(f"{'PASS' if passed else 'FAIL'}: goal is a ratio of medians <= {goal}, with every profile ok")
sys.exit(0 if passed else 1)
EOF
