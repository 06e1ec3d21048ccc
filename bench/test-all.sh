#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# How long does `gatepass --headless test --all` take for N profiles (1,000
# by default), compared with the best single client we know making the same
# N requests through the same proxy:
#
#   curl --parallel --parallel-max 50 --proxy-anyauth -x URL-with-credentials -K urls.cfg
#
# (--proxy-anyauth makes curl send its first request without credentials and
# wait for the 407's challenge, as a probe does.) Both go through the lab's
# Basic squid to its echo server, with the right password (tests/proxy-lab.sh);
# every profile's password is in a real gnome-keyring, as a user's would be.
#
#   bench/test-all.sh [--profiles N] [-n ROUNDS]
#
#   --profiles N   profiles to create and test (default 1000)
#   -n ROUNDS      timed rounds of each, alternating which goes first
#                  (default 10; one untimed round of each warms up first)
#
# Runs itself in a private keyring session with the proxy lab
# (tests/keyring-session.sh, tests/proxy-lab.sh); builds nothing: it uses
# $GATEPASS, else _build/src/gatepass, and $GP_ECHO_SERVER, else the one
# next to it. Creating 1,000 profiles takes about 45 s (one `add` each).
#
# Goal (issue 7): the median wall time of `test --all` is at most 1.5 times
# the median of the curl runs, gatepass's peak RSS (getrusage of the
# process, as /usr/bin/time -v reports it) stays under 64 MB, and every
# profile is ok in every round. Exit status 0 when met, 1 when not, 2 on a
# usage error.
#
# Besides the times it prints, per side, the CPU seconds each process of
# the session spent in a round (gatepass or curl itself, gnome-keyring-daemon,
# dbus-daemon, squid with its helpers, the echo server): on a small machine
# the run is CPU-bound, and that table says where the time goes.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
goal=1.5
rss_limit_kb=$((64 * 1024))

usage() { echo "Usage: $0 [--profiles N] [-n ROUNDS]"; }

rounds=10
profiles=1000
while [ $# -gt 0 ]; do
  case $1 in
    --profiles) [ $# -ge 2 ] || { usage >&2; exit 2; }; profiles=$2; shift 2 ;;
    --profiles=*) profiles=${1#--profiles=}; shift ;;
    -n) [ $# -ge 2 ] || { usage >&2; exit 2; }; rounds=$2; shift 2 ;;
    -n*) rounds=${1#-n}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for value in "$rounds" "$profiles"; do
  case $value in
    ''|*[!0-9]*|0) echo "$0: --profiles and -n want a positive number, not '$value'" >&2; exit 2 ;;
  esac
done

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
    bash "$(readlink -f "$0")" --profiles "$profiles" -n "$rounds"
fi

echo_url=$GP_LAB_ECHO_HTTP/
echo "# creating $profiles profiles, each with its password in the keyring" >&2
width=${#profiles}
for i in $(seq "$profiles"); do
  printf '%s' "$GP_LAB_PASSWORD" |
    "$GATEPASS" --headless add "$(printf 'bench-%0*d' "$width" "$i")" "$GP_LAB_BASIC" \
      --username "$GP_LAB_USER" --password-stdin
done

# urls.cfg: curl's options and one url line per request; the bodies go to
# stdout, where the runner checks that every one is the squid's address.
urls_cfg=$GATEPASS_TEST_TMPDIR/urls.cfg
python3 - "$profiles" "$echo_url" >"$urls_cfg" <<'EOF'
import sys
count, url = int(sys.argv[1]), sys.argv[2]
print("silent\nshow-error\nfail\nmax-time = 30")
for _ in range(count):
    print('url = "%s"' % url.replace("\\", "\\\\").replace('"', '\\"'))
EOF
# The lab's throwaway password, percent-encoded as userinfo (CLI.md).
proxy_with_credentials=$(python3 -c '
import sys, urllib.parse
proxy, user, password = sys.argv[1:4]
scheme, rest = proxy.split("://", 1)
q = lambda s: urllib.parse.quote(s, safe="")
print("%s://%s:%s@%s" % (scheme, q(user), q(password), rest))' "$GP_LAB_BASIC" "$GP_LAB_USER" "$GP_LAB_PASSWORD")

curl_command=(curl --parallel --parallel-max 50 --proxy-anyauth -x "$proxy_with_credentials" -K "$urls_cfg")
test_all=("$GATEPASS" --headless test --all --json --ip-echo "$echo_url" --timeout 30)

# The processes whose CPU time is counted: this session's keyring daemon
# and bus (asked of the bus itself), the Basic squid and its helpers, the
# echo server (our sibling: proxy-lab.sh started both).
bus_pid() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetConnectionUnixProcessID "$1" 2>/dev/null |
    sed -n 's/^(uint32 \([0-9]*\),)$/\1/p'
}
keyring_pid=$(bus_pid org.freedesktop.secrets)
bus_daemon_pid=$(bus_pid org.freedesktop.DBus)
squid_pid=$(cat "$GATEPASS_TEST_TMPDIR/proxy-lab/basic/squid.pid" 2>/dev/null || true)

exec python3 - "$rounds" "$goal" "$profiles" "$rss_limit_kb" "${keyring_pid:-0}" "${bus_daemon_pid:-0}" \
  "${squid_pid:-0}" "$GP_ECHO_SERVER" "${#test_all[@]}" "${test_all[@]}" "${curl_command[@]}" <<'EOF'
import json, os, selectors, statistics, sys, time

rounds, goal, profiles, rss_limit_kb = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
keyring_pid, bus_pid, squid_pid, echo_server = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
n = int(sys.argv[9])
test_all, curl = sys.argv[10:10 + n], sys.argv[10 + n:]
hz = os.sysconf("SC_CLK_TCK")

def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []

def descendants(pid):
    out = []
    for c in children(pid):
        out += [c] + descendants(c)
    return out

def echo_servers():
    pids = []
    for c in children(os.getppid()):
        try:
            if os.readlink("/proc/%d/exe" % c) == os.path.realpath(echo_server):
                pids.append(c)
        except OSError:
            pass
    return pids

def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])    # utime + stime
    except (OSError, IndexError):
        return 0

groups = {"gnome-keyring-daemon": lambda: [keyring_pid] if keyring_pid else [],
          "dbus-daemon": lambda: [bus_pid] if bus_pid else [],
          "squid and helpers": lambda: ([squid_pid] + descendants(squid_pid)) if squid_pid else [],
          "echo server": echo_servers}

def lab_cpu():
    return {name: {pid: cpu_ticks(pid) for pid in pids()} for name, pids in groups.items()}

def lab_cpu_delta(before, after):
    return {name: sum(t - before[name].get(pid, 0) for pid, t in after[name].items()) / hz for name in after}

class Child:
    """Runs one command and reaps it with wait4, for its own peak RSS and CPU."""
    def __init__(self, argv):
        before = lab_cpu()
        r, w = os.pipe()
        re_, we = os.pipe()
        start = time.perf_counter_ns()
        pid = os.fork()
        if pid == 0:
            os.dup2(w, 1); os.dup2(we, 2)
            os.close(r); os.close(re_)
            try:
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)
        os.close(w); os.close(we)
        sel = selectors.DefaultSelector()
        bufs = {r: [], re_: []}
        for fd in (r, re_):
            sel.register(fd, selectors.EVENT_READ)
        while sel.get_map():
            for key, _ in sel.select():
                chunk = os.read(key.fd, 65536)
                if chunk:
                    bufs[key.fd].append(chunk)
                else:
                    sel.unregister(key.fd); os.close(key.fd)
        _, status, usage = os.wait4(pid, 0)
        self.ms = (time.perf_counter_ns() - start) / 1e6
        self.out = b"".join(bufs[r]).decode("utf-8", "replace")
        self.err = b"".join(bufs[re_]).decode("utf-8", "replace")
        self.status = os.waitstatus_to_exitcode(status)
        self.rss_kb = usage.ru_maxrss
        self.cpu = usage.ru_utime + usage.ru_stime
        self.lab = lab_cpu_delta(before, lab_cpu())

def run_test_all():
    c = Child(test_all)
    try:
        results = json.loads(c.out)
    except ValueError:
        sys.exit("test --all printed no JSON (exit status %d): %s" % (c.status, c.err.strip()[:300]))
    c.bad = [(r["profile"], r["verdict"]) for r in results
             if r["verdict"] != "ok" or r["exit_ip"] != "127.0.0.2"]
    c.count = len(results)
    c.failed = c.count != profiles or bool(c.bad) or c.status != 0
    return c

def run_curl():
    c = Child(curl)
    c.failed = c.status != 0 or c.out != "127.0.0.2" * profiles
    if c.failed:
        sys.exit("curl failed (exit status %d, %d of %d answers right): %s"
                 % (c.status, c.out.count("127.0.0.2"), profiles, c.err.strip()[:300]))
    return c

# Check both once, and warm the squid's credential cache (its Basic helper
# checks a bcrypt hash, a few ms, once per credentialsttl) and helpers.
first = run_test_all()
if first.failed:
    print("test --all: %d results, exit status %d, not ok: %s" % (first.count, first.status, first.bad[:5]))
    print("FAIL: every one of the %d profiles must be ok" % profiles)
    sys.exit(1)
run_curl()

gp, cu, failures = [], [], 0
for i in range(rounds):
    # Alternate which goes first, so neither always runs on a warmer system.
    if i % 2:
        b = run_curl(); a = run_test_all()
    else:
        a = run_test_all(); b = run_curl()
    failures += a.failed
    gp.append(a); cu.append(b)

med = lambda xs: statistics.median(xs)
med_gp, med_curl = med([r.ms for r in gp]), med([r.ms for r in cu])
ratio = med_gp / med_curl
peak_rss = max(r.rss_kb for r in gp + [first])
curl_rss = max(r.rss_kb for r in cu)

def spread(rs):
    return "median %8.1f ms (min %.1f, max %.1f)" % (med([r.ms for r in rs]), min(r.ms for r in rs), max(r.ms for r in rs))

rows = [
    ("rounds:", f"{rounds} of each, alternating, {profiles} profiles / requests"),
    ("gatepass --headless test --all:", spread(gp)),
    ("curl --parallel-max 50:", spread(cu)),
    ("ratio of medians:", f"{ratio:.2f} (median of per-round ratios {med([a.ms / b.ms for a, b in zip(gp, cu)]):.2f}; goal <= {goal})"),
    ("peak RSS, gatepass:", f"{peak_rss / 1024:.1f} MB (goal < {rss_limit_kb // 1024} MB; curl {curl_rss / 1024:.1f} MB)"),
    (f"all {profiles} ok in every round:", "yes" if failures == 0 else f"no, in {failures} rounds"),
]
for label, value in rows:
    print(f"{label:<33} {value}")

print("median CPU seconds per round:        test --all     curl")
print(f"  {'the client itself':<34} {med([r.cpu for r in gp]):8.3f} {med([r.cpu for r in cu]):8.3f}")
for name in groups:
    print(f"  {name:<34} {med([r.lab[name] for r in gp]):8.3f} {med([r.lab[name] for r in cu]):8.3f}")

print("curl command:", " ".join(curl).replace(curl[curl.index("-x") + 1], "URL-with-credentials"))
passed = ratio <= goal and peak_rss < rss_limit_kb and failures == 0
print(f"{'PASS' if passed else 'FAIL'}: goal is a ratio of medians <= {goal}, peak RSS < "
      f"{rss_limit_kb // 1024} MB, every profile ok")
sys.exit(0 if passed else 1)
EOF
