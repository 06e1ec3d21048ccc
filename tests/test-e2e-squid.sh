# SPDX-License-Identifier: GPL-3.0-or-later
#
# End to end: credentials go into the keyring with `gatepass --headless add`,
# come out with `export`, and real clients (curl, wget, Python's urllib,
# git) use them to fetch from an origin through a real squid with Basic
# auth. The origin has a name only squid can resolve (its private
# hosts_file), so a fetch that succeeds went through the proxy.
#
# Runs inside tests/keyring-session.sh (an unlocked keyring on a private bus).

. "${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"

origin_host=origin.gatepass.test
work=$GATEPASS_TEST_TMPDIR/e2e
sqdir=$work/squid
mkdir -p "$work/www" "$sqdir"

squid_pid=
origin_pid=
cleanup() {
  [ -n "$squid_pid" ] && kill "$squid_pid" 2>/dev/null
  [ -n "$origin_pid" ] && kill "$origin_pid" 2>/dev/null
  [ -n "$squid_pid" ] && wait "$squid_pid" 2>/dev/null
  [ -n "$origin_pid" ] && wait "$origin_pid" 2>/dev/null
  return 0
}
trap cleanup EXIT

bail() {
  echo "Bail out! $*"
  for f in "$sqdir/squid.out" "$sqdir/cache.log" "$work/origin.log"; do
    [ -f "$f" ] && tail -n 20 "$f" | sed "s|^|# ${f##*/}: |"
  done
  exit 1
}

for tool in /usr/sbin/squid /usr/lib/squid/basic_ncsa_auth htpasswd curl wget git python3; do
  command -v "$tool" >/dev/null 2>&1 || bail "$tool is not installed (build-aux/dev installs it)"
done

# Users of the proxy: NAME USERNAME PASSWORD. The passwords hold every
# character that needs percent-encoding in a proxy URL, shell quoting, or
# more than one byte in UTF-8.
names=(plain at-colon quotes utf8)
declare -A user pass
user[plain]=bob;           pass[plain]='s3cret-Pass_word.~'
user[at-colon]=alice@corp; pass[at-colon]='p@ss:w/rd #?%'
user[quotes]=carol;        pass[quotes]='a'\''b"c$(x)`y`\z'
user[utf8]=dörte;          pass[utf8]='üñí©ødé'

# --- the origin: a small file and a bare git repository (dumb HTTP) ---

payload="gatepass e2e payload $RANDOM$RANDOM"
printf '%s\n' "$payload" > "$work/www/file"

export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=/bin/false
git init -q "$work/src" &&
  printf '%s\n' "$payload" > "$work/src/README" &&
  git -C "$work/src" add README &&
  git -C "$work/src" -c user.name=Test -c user.email=test@example.invalid commit -qm init &&
  git init -q --bare "$work/www/repo.git" &&
  git -C "$work/src" push -q "$work/www/repo.git" HEAD:refs/heads/main &&
  git -C "$work/www/repo.git" symbolic-ref HEAD refs/heads/main &&
  git -C "$work/www/repo.git" update-server-info ||
  bail "could not prepare the git repository"

origin_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$origin_port" \
  >"$work/origin.log" 2>&1 &
origin_pid=$!
origin=http://$origin_host:$origin_port

# --- squid: Basic auth against an htpasswd file, nothing else allowed ---

: > "$sqdir/htpasswd"
for n in "${names[@]}"; do
  htpasswd -nbB "${user[$n]}" "${pass[$n]}" | grep -v '^$' >> "$sqdir/htpasswd" ||
    bail "htpasswd failed for ${user[$n]}"
done
printf '127.0.0.1 %s\n' "$origin_host" > "$sqdir/hosts"

squid_port=$(free_port)
[ "$squid_port" != 3128 ] || squid_port=$(free_port)
cat > "$sqdir/squid.conf" <<EOF
http_port 127.0.0.1:$squid_port
visible_hostname gatepass-test
pid_filename $sqdir/squid.pid
cache_log $sqdir/cache.log
access_log stdio:$sqdir/access.log
cache_store_log none
coredump_dir $sqdir
netdb_filename none
hosts_file $sqdir/hosts
pinger_enable off
icp_port 0
htcp_port 0
shutdown_lifetime 0 seconds
cache deny all

auth_param basic program /usr/lib/squid/basic_ncsa_auth $sqdir/htpasswd
auth_param basic children 3
auth_param basic realm Gatepass test
auth_param basic credentialsttl 1 second
acl authenticated proxy_auth REQUIRED
http_access allow authenticated
http_access deny all
EOF
# As root, squid runs as the user "proxy", which must read and write here.
if [ "$(id -u)" -eq 0 ] && id proxy >/dev/null 2>&1; then
  chown -R proxy: "$sqdir"
fi
/usr/sbin/squid -N -f "$sqdir/squid.conf" >"$sqdir/squid.out" 2>&1 &
squid_pid=$!
proxy=http://127.0.0.1:$squid_port

# Wait (at most 15 s) for both: the origin answers, squid asks for credentials.
for i in $(seq 150); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$origin_port/file")" = 200 ] &&
     [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -x "$proxy" "$origin/file")" = 407 ]; then
    break
  fi
  kill -0 "$squid_pid" 2>/dev/null || bail "squid exited"
  kill -0 "$origin_pid" 2>/dev/null || bail "the origin server exited"
  [ "$i" -lt 150 ] || bail "squid or the origin did not come up within 15 s"
  sleep 0.1
done
diag "squid on $proxy, origin $origin"

# --- the clients; each prints what it fetched ---

c_curl() { curl -fsS --max-time 15 "$origin/file"; }
c_wget() { wget -nv -O- --timeout=15 --tries=1 "$origin/file"; }
c_python() {
  python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=15).read().decode())' "$origin/file"
}
c_git() {
  local dest
  dest=$(mktemp -d "$work/clone.XXXXXX") && rmdir "$dest" &&
    timeout 30 git clone -q "$origin/repo.git" "$dest" && cat "$dest/README"
}
clients=(curl wget python git)

# with_profile NAME COMMAND...: runs COMMAND in a subshell whose environment
# is what `eval "$(gatepass --headless export NAME)"` sets.
with_profile() {
  (
    unset http_proxy https_proxy no_proxy all_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY
    exports=$(timeout 20 "$GATEPASS" --headless export "$1") || exit 90
    eval "$exports"
    shift
    "$@"
  ) 2>"$work/client.err"
}

urlencode() {
  python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""), end="")' "$1"
}

# --- controls: the origin is out of reach without the proxy ---

got=$(unset http_proxy HTTP_PROXY; timeout 20 curl -sS --max-time 10 "$origin/file" 2>&1)
rc=$?
is "$rc" 6 "without a proxy, curl cannot resolve $origin_host"
ok "without a proxy, Python cannot resolve $origin_host" \
  timeout 20 python3 -c 'import socket, sys
try:
    socket.getaddrinfo(sys.argv[1], 80)
except socket.gaierror:
    sys.exit(0)
sys.exit(1)' "$origin_host"
is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -x "$proxy" "$origin/file")" 407 \
  "through the proxy without credentials: 407"

# --- each user: add, export, fetch with every client ---

for n in "${names[@]}"; do
  u=${user[$n]} pw=${pass[$n]}
  printf '%s' "$pw" | timeout 20 "$GATEPASS" --headless add "$n" "$proxy" --username "$u" --password-stdin \
    >"$work/add.out" 2>"$work/add.err"
  rc=$?
  is "$rc" 0 "$n: add with --password-stdin"
  [ "$rc" -eq 0 ] || diag "$(cat "$work/add.err")"

  gp export "$n" </dev/null
  is "$RC" 0 "$n: export"
  expected_url="http://$(urlencode "$u"):$(urlencode "$pw")@127.0.0.1:$squid_port"
  like "$OUT" "^export http_proxy='$(printf '%s' "$expected_url" | sed 's/[][\.*^$?+(){}|]/\\&/g')/?'$" \
    "$n: http_proxy holds the percent-encoded credentials"

  for c in "${clients[@]}"; do
    got=$(with_profile "$n" "c_$c")
    rc=$?
    is "$got" "$payload" "$n: $c fetches through the proxy (user $u)"
    [ "$rc" -eq 0 ] || diag "exit status $rc: $(head -c 600 "$work/client.err")"
  done

  # squid logs who it let through: the user is field 8 (escaped or not).
  logged=0
  for _ in $(seq 20); do
    logged=$(awk -v u="$u" -v e="$(urlencode "$u")" -v url="$origin/" \
      '$4 ~ /\/200$/ && index($7, url) == 1 && ($8 == u || tolower($8) == tolower(e)) { n++ } END { print n + 0 }' \
      "$sqdir/access.log" 2>/dev/null)
    [ "$logged" -ge 4 ] && break
    sleep 0.1
  done
  ok "$n: squid's access.log shows $u fetching ($logged requests)" test "$logged" -ge 4
  [ "$logged" -ge 4 ] || diag "$(tail -n 8 "$sqdir/access.log")"
done

# --- controls: a wrong password in the keyring is refused by the proxy ---

printf '%s' 'not-the-password' | timeout 20 "$GATEPASS" --headless add wrong "$proxy" \
  --username "${user[plain]}" --password-stdin >/dev/null 2>&1
is "$?" 0 "wrong: add a profile with a wrong password"
code=$(with_profile wrong curl -sS -o /dev/null -w '%{http_code}' --max-time 15 "$origin/file")
is "$code" 407 "wrong: curl gets 407 from the proxy"
for c in "${clients[@]}"; do
  got=$(with_profile wrong "c_$c")
  rc=$?
  ok "wrong: $c fails (exit status $rc)" test "$rc" -ne 0 -a "$got" != "$payload"
  like "$(cat "$work/client.err")" '407|Proxy Authentication Required' "wrong: $c reports the proxy's 407"
done

done_testing
