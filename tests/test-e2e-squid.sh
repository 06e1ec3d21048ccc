# SPDX-License-Identifier: GPL-3.0-or-later
#
# End to end: credentials go into the keyring with `gatepass --headless add`,
# come out with `export`, and real clients (curl, wget, Python's urllib,
# git, Go's net/http, npm and apt-get update) use them to fetch from an
# origin through a real squid with Basic auth. The origin has a name only
# squid can resolve (its private hosts_file), so a fetch that succeeds went
# through the proxy; squid's access.log then shows each client's own
# request under the user's name. Last, the same clients with a SOCKS
# profile (microsocks with a password): what each does with socks5:// and
# socks5h://, and that export's warnings name exactly the ones that fail.
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
socks_pid=
socks_origin_pid=
cleanup() {
  local pid
  for pid in "$squid_pid" "$origin_pid" "$socks_pid" "$socks_origin_pid"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
  done
  for pid in "$squid_pid" "$origin_pid" "$socks_pid" "$socks_origin_pid"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null
  done
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

for tool in /usr/sbin/squid /usr/lib/squid/basic_ncsa_auth htpasswd curl wget git python3 \
            go npm apt-get apt-cache dpkg-deb dpkg-scanpackages microsocks; do
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

. "${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}/www-origin.sh"
make_www_origin "$work/www" e2e || bail "could not prepare the git repository"

# A Debian repository of one package whose description is the payload, flat
# (`deb URL ./`). apt wants a Release file naming the Packages file's hash;
# [trusted=yes] in sources.list spares us a signing key.
mkdir -p "$work/deb/DEBIAN" "$work/www/apt"
cat > "$work/deb/DEBIAN/control" <<EOF
Package: gatepass-e2e
Version: 1.0
Architecture: all
Maintainer: Gatepass tests <test@example.invalid>
Description: $payload
EOF
dpkg-deb --root-owner-group -Zgzip --build "$work/deb" "$work/www/apt/gatepass-e2e_1.0_all.deb" >/dev/null &&
  (cd "$work/www/apt" && dpkg-scanpackages -m . /dev/null > Packages 2>/dev/null) &&
  printf 'Date: %s\nSHA256:\n %s %s Packages\n' "$(LC_ALL=C date -Ru)" \
    "$(sha256sum < "$work/www/apt/Packages" | cut -d' ' -f1)" "$(stat -c %s "$work/www/apt/Packages")" \
    > "$work/www/apt/Release" ||
  bail "could not prepare the Debian repository"

# A Go program as programs use net/http: the default client, which reads
# http_proxy through http.ProxyFromEnvironment. Standard library only, and
# GOPROXY=off: the build never reaches the network. Go 1.19 ships the
# standard library compiled, so this takes about a second.
mkdir -p "$work/go"
printf 'module gatepass.test/fetch\n\ngo 1.19\n' > "$work/go/go.mod"
cat > "$work/go/main.go" <<'EOF'
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	client := &http.Client{Timeout: 15 * time.Second}
	resp, err := client.Get(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, resp.Status)
		os.Exit(1)
	}
	if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
EOF
(cd "$work/go" &&
  env HOME="$work/go" GOPATH="$work/go/path" GOCACHE="$work/go/cache" GOFLAGS=-mod=mod \
    GOPROXY=off GOTOOLCHAIN=local timeout 120 go build -o fetch .) 2>"$work/go/build.err" ||
  bail "could not build the Go client: $(head -c 400 "$work/go/build.err")"

origin_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$origin_port" \
  >"$work/origin.log" 2>&1 &
origin_pid=$!
origin=http://$origin_host:$origin_port

# npm's configuration: none, so that neither the user's nor the machine's
# .npmrc names another proxy or registry.
: > "$work/npmrc"
: > "$work/npmrc-global"

make_npm_document "$work/www" gatepass-e2e "$origin"

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
strip_query_terms off

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

# Each fetches its own URL, so that squid's log tells the clients apart.
c_curl() { curl -fsS --max-time 15 "$origin/file?c=curl"; }
c_wget() { wget -nv -O- --timeout=15 --tries=1 "$origin/file?c=wget"; }
c_python() {
  python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=15).read().decode())' "$origin/file?c=python"
}
c_git() {
  local dest
  dest=$(mktemp -d "$work/clone.XXXXXX") && rmdir "$dest" &&
    timeout 30 git clone -q "$origin/repo.git" "$dest" && cat "$dest/README"
}
c_go() { timeout 30 "$work/go/fetch" "$origin/file?c=go"; }
# A fresh cache each time: a cached document would be revalidated (304),
# or not fetched at all.
c_npm() {
  local cache
  cache=$(mktemp -d "$work/npm.XXXXXX") &&
    npm_config_cache=$cache npm_config_userconfig=$work/npmrc npm_config_globalconfig=$work/npmrc-global \
    npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
    npm_config_fetch_retries=0 npm_config_fetch_timeout=15000 \
    timeout 60 npm view gatepass-e2e description --registry "$origin/"
}
# apt with a configuration of its own (APT_CONFIG is read before anything
# else, so /etc/apt is never read: no system sources, no proxy setting of
# the machine's), lists and cache in a fresh directory, no lock: the
# machine's apt state is never touched. The proxy comes from http_proxy.
c_apt() {
  local dir desc
  dir=$(mktemp -d "$work/apt.XXXXXX") &&
    mkdir -p "$dir/parts" "$dir/lists/partial" "$dir/cache/archives/partial" &&
    : > "$dir/status" &&
    printf 'deb [trusted=yes] %s/apt ./\n' "$origin" > "$dir/sources.list" &&
    cat > "$dir/apt.conf" <<EOF &&
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$dir/parts";
Dir::Etc::sourcelist "$dir/sources.list";
Dir::Etc::sourceparts "$dir/parts";
Dir::Etc::preferences "/dev/null";
Dir::Etc::preferencesparts "$dir/parts";
Dir::State "$dir";
Dir::State::lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
Debug::NoLocking "true";
APT::Sandbox::User "$(id -un)";
Acquire::Languages "none";
Acquire::Retries "0";
Acquire::http::Timeout "15";
EOF
    APT_CONFIG=$dir/apt.conf timeout 60 apt-get -q update >&2 &&
    desc=$(APT_CONFIG=$dir/apt.conf apt-cache show gatepass-e2e) &&
    printf '%s\n' "$desc" | sed -n 's/^Description: //p'
}
clients=(curl wget python git go npm apt)

# What squid's log shows of each client: the start of the URL it asked for.
declare -A fetched=(
  [curl]='/file?c=curl' [wget]='/file?c=wget' [python]='/file?c=python' [go]='/file?c=go'
  [git]='/repo.git/' [npm]='/gatepass-e2e' [apt]='/apt/./Release'
)

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

# logged_requests USER URL-PREFIX: how many requests squid let USER make
# with success for URLs starting with URL-PREFIX.
logged_requests() {
  awk -v u="$1" -v e="$(urlencode "$1")" -v url="$2" \
    '$4 ~ /\/200$/ && index($7, url) == 1 && ($8 == u || tolower($8) == tolower(e)) { n++ } END { print n + 0 }' \
    "$sqdir/access.log" 2>/dev/null
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
  for c in "${clients[@]}"; do
    logged=0
    for _ in $(seq 20); do
      logged=$(logged_requests "$u" "$origin${fetched[$c]}")
      [ "$logged" -ge 1 ] && break
      sleep 0.1
    done
    ok "$n: squid's access.log shows $u fetching with $c ($logged requests)" test "$logged" -ge 1
    [ "$logged" -ge 1 ] || diag "$(tail -n 8 "$sqdir/access.log")"
  done
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

# --- SOCKS: what each client does with socks5:// and socks5h:// ---
#
# microsocks connects out from 127.0.0.3, and a second origin listens on
# 127.0.0.3 only. The clients ask for http://0.0.0.0:PORT: Linux sends a
# connection to 0.0.0.0 to the connecting socket's own address, 127.0.0.1
# for a client on its own (refused) and 127.0.0.3 for microsocks (the
# origin). So a fetch that succeeds went through the SOCKS proxy; and
# 0.0.0.0 is no loopback address, which Go would never send to a proxy.

socks_port=$(free_port)
microsocks -i 127.0.0.1 -p "$socks_port" -u "${user[at-colon]}" -P "${pass[at-colon]}" -b 127.0.0.3 \
  >"$work/microsocks.log" 2>&1 &
socks_pid=$!
socks_origin_port=$(free_port)
python3 -m http.server --bind 127.0.0.3 --directory "$work/www" "$socks_origin_port" \
  >"$work/socks-origin.log" 2>&1 &
socks_origin_pid=$!
for i in $(seq 150); do
  (exec 3<>"/dev/tcp/127.0.0.1/$socks_port") 2>/dev/null &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.3:$socks_origin_port/file")" = 200 ] &&
    break
  kill -0 "$socks_pid" 2>/dev/null || bail "microsocks exited"
  [ "$i" -lt 150 ] || bail "microsocks or the second origin did not come up within 15 s"
  sleep 0.1
done
origin=http://0.0.0.0:$socks_origin_port
timeout 20 curl -sS --max-time 10 -o /dev/null "$origin/file" 2>/dev/null
is "$?" 7 "without a proxy, $origin is out of reach"

# What each client does, checked by hand first and kept here: "ok" or the
# words of its error. requests without PySocks (not installed here) fails
# on both schemes alike ("Missing dependencies for SOCKS support").
declare -A socks_expected=(
  [socks5,curl]=ok  [socks5,wget]='Unsupported scheme' [socks5,python]='unknown url type'
  [socks5,git]=ok   [socks5,go]=ok                      [socks5,npm]=ok
  [socks5,apt]='Unsupported proxy configured'
  [socks5h,curl]=ok [socks5h,wget]='Unsupported scheme' [socks5h,python]='unknown url type'
  [socks5h,git]=ok  [socks5h,go]='lookup socks5h'       [socks5h,npm]=ok
  [socks5h,apt]=ok
)
# npm 9 (Debian 12's 9.2: make-fetch-happen 11, socks-proxy-agent 7) joins
# user and password with ':' and splits them again at the first ':', so a
# SOCKS password holding a ':' (this one does) reaches the proxy cut short.
# npm 10 and later pass them apart.
if [ "$(npm --version 2>/dev/null | cut -d. -f1)" -lt 10 ] && [[ ${pass[at-colon]} == *:* ]]; then
  socks_expected[socks5,npm]='Socks5 Authentication failed'
  socks_expected[socks5h,npm]='Socks5 Authentication failed'
fi
# How export's warning names a client.
declare -A socks_warning=(
  [wget]='warning: wget cannot use' [python]="warning: Python's urllib cannot use"
  [go]="warning: Go's net/http" [apt]='warning: apt cannot use'
)

for scheme in socks5 socks5h; do
  printf '%s' "${pass[at-colon]}" | timeout 20 "$GATEPASS" --headless add "$scheme" \
    "$scheme://127.0.0.1:$socks_port" --username "${user[at-colon]}" --password-stdin >/dev/null 2>&1
  is "$?" 0 "$scheme: add a profile of the SOCKS proxy"
  gp export "$scheme" </dev/null
  warnings=$ERR
  like "$warnings" "npm 9 .* cuts a SOCKS proxy's credentials at their first" \
    "$scheme: export warns that npm 9 cuts this password at its ':'"
  for c in "${clients[@]}"; do
    expected=${socks_expected[$scheme,$c]}
    got=$(with_profile "$scheme" "c_$c")
    rc=$?
    if [ "$expected" = ok ]; then
      is "$got" "$payload" "$scheme: $c fetches through microsocks"
      [ "$rc" -eq 0 ] || diag "exit status $rc: $(head -c 600 "$work/client.err")"
      [ -z "${socks_warning[$c]:-}" ] ||
        unlike "$warnings" "${socks_warning[$c]}" "$scheme: export does not warn about $c"
    else
      ok "$scheme: $c cannot use it (exit status $rc)" test "$rc" -ne 0 -a "$got" != "$payload"
      like "$(cat "$work/client.err")" "$expected" "$scheme: $c says “$expected”"
      [ -z "${socks_warning[$c]:-}" ] ||
        like "$warnings" "${socks_warning[$c]}" "$scheme: export warns about $c"
    fi
  done
done

done_testing
