#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# proxy-lab.sh [--third-party] COMMAND...: runs COMMAND with a lab of real
# proxies and echo servers on free loopback ports, then stops all of them and
# exits with COMMAND's status. Normally run as
# `keyring-session.sh proxy-lab.sh CMD`; outside a hermetic test directory it
# runs itself under hermetic.sh. --third-party (or GP_LAB_THIRD_PARTY=1) adds
# the slower set of tests/proxy-lab-third-party.sh (needs root).
#
# What COMMAND finds in its environment:
#
#   GP_LAB_USER, GP_LAB_PASSWORD            valid for Basic, Digest, the HTTPS
#                                           proxy and SOCKS
#   GP_LAB_UTF8_USER, GP_LAB_UTF8_PASSWORD  valid for Basic and Digest (UTF-8 bytes)
#   GP_LAB_CA                               PEM of the lab's throwaway CA
#   GP_LAB_CA_BUNDLE                        the system bundle plus the lab CA
#                                           (see tests/with-lab-ca.sh)
#   GP_LAB_ECHO_HTTP, GP_LAB_ECHO_HTTPS     gp-echo-server, plain and TLS (lab CA,
#                                           for 127.0.0.1 and localhost)
#   GP_LAB_BASIC, GP_LAB_DIGEST, GP_LAB_NTLM, GP_LAB_OPEN, GP_LAB_DENY
#                                           squid: Basic; Digest; NTLM (fake)
#                                           then Basic; no auth; deny all (403)
#   GP_LAB_NEGOTIATE                        407 with only Negotiate, always
#   GP_LAB_HANG                             accepts, never answers
#   GP_LAB_CLOSED                           nothing listens there
#   GP_LAB_HTTPS_PROXY                      https://localhost:PORT, TLS (lab CA)
#                                           in front of the Basic squid
#   GP_LAB_SOCKS                            socks5:// with user and password
#   GP_LAB_BASIC_ACCESS_LOG                 the Basic squid's access.log
#   GP_LAB_BASIC_SHORT                      squid: Basic, realm "Gatepass Basic Short",
#                                           credentials trusted for 1 second only
#   GP_LAB_BASIC_SHORT_HTPASSWD             its password file, empty at first: add
#                                           users, or change a password at the proxy,
#                                           with htpasswd -b (give each version a
#                                           later mtime: the helper reloads on a new one)
#
# With --third-party, also (http:// unless said otherwise):
#
#   GP_LAB_APACHE_BASIC, GP_LAB_APACHE_DIGEST  Apache mod_proxy (+ connect):
#                                           Basic realm "Gatepass Apache Basic",
#                                           Digest realm "Gatepass Apache Digest",
#                                           GP_LAB_USER/GP_LAB_PASSWORD; exit 127.0.0.1
#   GP_LAB_APACHE_HTPASSWD, GP_LAB_APACHE_HTDIGEST  their password files, read
#                                           on every request: rewrite to change
#                                           the password at the proxy
#   GP_LAB_APACHE_ACCESS_LOG                "%h %u \"%r\" %>s" of both vhosts
#   GP_LAB_TINYPROXY                        tinyproxy BasicAuth (bad or no
#                                           credentials: 401); exit 127.0.0.4
#   GP_LAB_TINYPROXY_USER, GP_LAB_TINYPROXY_PASSWORD  its user (5-character password)
#   GP_LAB_DANTE                            socks5:// dante, username login
#                                           (GP_LAB_DANTE_USER, GP_LAB_PASSWORD,
#                                           a system user in dante's own mount
#                                           namespace only); exit 127.0.0.5
#   GP_LAB_DANTE_REFUSE                     socks5:// dante refusing the client's
#                                           address: accepts TCP, then closes
#   GP_LAB_DANTE_DENY                       socks5:// dante: login ok, then every
#                                           request refused (reply 2, not allowed)
#   GP_LAB_PRIVOXY                          privoxy, open, CONNECT to any port;
#                                           exit 127.0.0.1
#   GP_LAB_ALLOWLIST                        squid allowing only 10.99.0.0/16: 403
#   GP_LAB_HOSTILE_GARBAGE, _RANDOM, _MIDHEADER, _BIGHEADERS, _CHALLENGES10K,
#   _CHALLENGES100, _C1REALM, _ESCREASON, _LOOP, _BLOCKPAGE
#                                           tests/hostile-server.py "proxies"
#                                           (see there), GET and CONNECT alike
#   GP_LAB_ECHO_REDIRECTOR                  http:// origin: 302 to the recorder
#   GP_LAB_ECHO_RECORDER                    https:// origin (lab CA) answering
#                                           198.51.100.66; logs request lines and
#                                           headers to GP_LAB_RECORDER_LOG. The
#                                           Basic squid lets CONNECT reach it.
#   GP_LAB_ECHO_REDIRECTORS                 https:// origin (lab CA): 302 to the
#                                           recorder; CONNECT through the Basic
#                                           squid reaches it too
#   GP_LAB_ECHO_BADIP, GP_LAB_ECHO_BADIPS   http://, https:// origins answering
#                                           "fe80::1%" + ESC sequences + bad UTF-8
#   GP_LAB_ECHO_ZONEIP, GP_LAB_ECHO_ZONEIPS http://, https:// origins answering
#                                           "fe80::1%eth0"
#
# The squids connect out from 127.0.0.2 and the SOCKS proxy from 127.0.0.3,
# so the echo server tells which way a request came: 127.0.0.1 is direct.
#
# Environment: GP_ECHO_SERVER (the gp-echo-server executable; default: look
# in _build-lab/tests and _build/tests), GP_LAB_KEEP_LOGS=1 to print where
# the logs are instead of nothing.
set -u

here=$(dirname "$(readlink -f "$0")")

if [ -z "${GATEPASS_TEST_TMPDIR:-}" ]; then
  exec "$here/hermetic.sh" "$0" "$@"
fi

third_party=${GP_LAB_THIRD_PARTY:-}
if [ "${1:-}" = --third-party ]; then
  third_party=1
  shift
fi
[ "$third_party" = 0 ] && third_party=

if [ $# -eq 0 ]; then
  echo "Usage: $0 [--third-party] COMMAND [ARGS...]" >&2
  exit 2
fi

lab=$GATEPASS_TEST_TMPDIR/proxy-lab
rm -rf "$lab"
mkdir -p "$lab"
chmod 755 "$lab"

# Bail out in TAP's words, so that meson shows why, with the last log lines.
bail() {
  echo "Bail out! proxy-lab: $*"
  local f
  for f in "$lab"/*.log "$lab"/*/cache.log "$lab"/*/squid.out "$lab"/*/*.out "$lab"/*/error.log; do
    [ -s "$f" ] && tail -n 5 "$f" | sed "s|^|# ${f#"$lab"/}: |"
  done
  exit 1
}

# --- processes: started in our process group, stopped by the trap ---------

pids=()
command_pid=
# Stopped with SIGKILL at once, with their children: daemons that keep no
# state and take seconds to stop (dante's children wait for a timeout).
kill_pids=()

# descendants PID: prints PID's children, grandchildren, ... (squid's helpers).
descendants() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# alive PID...: succeeds when one of them still runs (a zombie does not).
alive() {
  local pid stat state
  for pid in "$@"; do
    read -r stat 2>/dev/null <"/proc/$pid/stat" || continue
    state=${stat##*) }    # after the command name, which may hold spaces
    [ "${state%% *}" != Z ] && return 0
  done
  return 1
}

# terminate PID...: SIGTERM, at most 3 s of grace, then SIGKILL.
terminate() {
  local i
  [ $# -eq 0 ] && return 0
  kill -TERM "$@" 2>/dev/null
  for i in $(seq 60); do
    alive "$@" || return 0
    sleep 0.05
  done
  kill -KILL "$@" 2>/dev/null
}

stop_all() {
  local tops=() rest=() quick=() pid
  for pid in "${kill_pids[@]}"; do
    quick+=("$pid")
    mapfile -t -O "${#quick[@]}" quick < <(descendants "$pid")
  done
  if [ "${#quick[@]}" -gt 0 ]; then
    disown "${kill_pids[@]}" 2>/dev/null    # no "Killed" lines from bash
    kill -KILL "${quick[@]}" 2>/dev/null
  fi
  kill_pids=()
  [ -n "$command_pid" ] && tops+=("$command_pid")
  tops+=("${pids[@]}")
  for pid in "${tops[@]}"; do
    mapfile -t -O "${#rest[@]}" rest < <(descendants "$pid")
  done
  # squid stops its helpers itself (shutdown_lifetime 0); whatever is
  # left after the parents are gone is stopped here.
  terminate "${tops[@]}"
  wait 2>/dev/null
  alive "${rest[@]}" && terminate "${rest[@]}"
  pids=()
  command_pid=
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM HUP
  stop_all
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# --- tools ------------------------------------------------------------------

squid=/usr/sbin/squid
helpers=/usr/lib/squid
for tool in "$squid" "$helpers/basic_ncsa_auth" "$helpers/digest_file_auth" \
            "$helpers/ntlm_fake_auth" htpasswd openssl stunnel4 microsocks python3 curl pgrep; do
  command -v "$tool" >/dev/null 2>&1 || bail "$tool is not installed (build-aux/dev installs it)"
done

# tests/with-lab-ca.sh and the third-party set need a private mount
# namespace; in a plain chroot (whose / is no mount point) that fails.
unshare -m true 2>/dev/null ||
  bail "unshare -m fails here (root is needed, and / must be a mount point: in a chroot, bind-mount its root onto itself first)"

echo_server=${GP_ECHO_SERVER:-}
if [ -z "$echo_server" ]; then
  for candidate in "$here/../_build-lab/tests/gp-echo-server" "$here/../_build/tests/gp-echo-server"; do
    [ -x "$candidate" ] && { echo_server=$candidate; break; }
  done
fi
[ -n "$echo_server" ] && [ -x "$echo_server" ] || bail "no gp-echo-server: set GP_ECHO_SERVER"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# free_ports N: N distinct ports that are free on 127.0.0.1 now (and not 3128).
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
while len(socks) < int(sys.argv[1]):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    if s.getsockname()[1] != 3128:
        socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# --- credentials --------------------------------------------------------------

export GP_LAB_USER=alice
export GP_LAB_PASSWORD='right p@ss:w/rd #?%'
export GP_LAB_UTF8_USER=dörte
export GP_LAB_UTF8_PASSWORD=üñí©ødé

# --- a throwaway CA and one server certificate (127.0.0.1, localhost) ---------

make_certificates() {
  local pki=$lab/pki
  mkdir -p "$pki"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$pki/ca.key" -out "$pki/ca.pem" -days 2 -subj "/CN=Gatepass test lab CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign &&
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$pki/server.key" -out "$pki/server.csr" -subj "/CN=localhost" &&
  printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' \
    'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' > "$pki/server.ext" &&
  openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
    -CAcreateserial -days 2 -extfile "$pki/server.ext" -out "$pki/server.pem" &&
  cat /etc/ssl/certs/ca-certificates.crt "$pki/ca.pem" > "$pki/ca-bundle.crt" &&
  chmod 644 "$pki"/*
} >"$lab/openssl.log" 2>&1

make_certificates || bail "openssl could not make the lab certificates"
export GP_LAB_CA=$lab/pki/ca.pem
export GP_LAB_CA_BUNDLE=$lab/pki/ca-bundle.crt

# --- echo servers (they pick their own ports and print them) ----------------

# start_printing_port NAME COMMAND...: starts COMMAND, whose first line on
# stdout is its port, and sets PORT (waits at most 5 s).
start_printing_port() {
  local name=$1 i
  shift
  "$@" >"$lab/$name.port" 2>"$lab/$name.log" &
  pids+=("$!")
  for i in $(seq 100); do
    PORT=$(head -n 1 "$lab/$name.port" 2>/dev/null)
    case $PORT in *[0-9]) [ "$(wc -l < "$lab/$name.port")" -ge 1 ] && return 0 ;; esac
    kill -0 "$!" 2>/dev/null || bail "$name exited"
    sleep 0.05
  done
  bail "$name did not print its port within 5 s"
}

# --- squid: six instances, started at once ----------------------------------

read -r basic_port digest_port ntlm_port open_port deny_port https_proxy_port socks_port closed_port \
  recorder_port redirectors_port basic_short_port <<<"$(free_ports 11)"

htpasswd -nbB "$GP_LAB_USER" "$GP_LAB_PASSWORD" >"$lab/basic.htpasswd" 2>"$lab/htpasswd.log" &&
  htpasswd -nbB "$GP_LAB_UTF8_USER" "$GP_LAB_UTF8_PASSWORD" >>"$lab/basic.htpasswd" 2>>"$lab/htpasswd.log" ||
  bail "htpasswd failed"
sed -i '/^$/d' "$lab/basic.htpasswd"
# digest_file_auth -c: user:realm:HA1, HA1 = MD5(user:realm:password); the
# plain form user:password would cut this password at its ':'.
ha1() { printf '%s' "$1:Gatepass Digest:$2" | md5sum | cut -d' ' -f1; }
printf '%s:Gatepass Digest:%s\n' \
  "$GP_LAB_USER" "$(ha1 "$GP_LAB_USER" "$GP_LAB_PASSWORD")" \
  "$GP_LAB_UTF8_USER" "$(ha1 "$GP_LAB_UTF8_USER" "$GP_LAB_UTF8_PASSWORD")" \
  >"$lab/digest.passwd"
# The short-lived Basic squid's users are the tests' own (a password
# changed at the proxy mid-test): none at first.
: >"$lab/basicshort.htpasswd"
chmod 644 "$lab/basic.htpasswd" "$lab/digest.passwd" "$lab/basicshort.htpasswd"

# squid_conf NAME PORT: writes $lab/NAME/squid.conf, minus the access rules.
squid_conf() {
  local dir=$lab/$1
  mkdir -p "$dir"
  printf '127.0.0.1 localhost\n' >"$dir/hosts"
  cat >"$dir/squid.conf" <<EOF
http_port 127.0.0.1:$2
visible_hostname gatepass-lab-$1
pid_filename $dir/squid.pid
cache_log $dir/cache.log
access_log stdio:$dir/access.log
cache_store_log none
logfile_rotate 0
coredump_dir $dir
netdb_filename none
hosts_file $dir/hosts
dns_nameservers 127.0.0.1
pinger_enable off
icp_port 0
htcp_port 0
shutdown_lifetime 0 seconds
client_persistent_connections on
cache deny all
tcp_outgoing_address 127.0.0.2

# Only the lab's loopback services; CONNECT only to the echo servers (the
# HTTPS one, the plain one for clients that tunnel everything, as GIO
# does through an https:// proxy, and the third-party set's recorder and
# TLS redirector).
acl lab_dst dst 127.0.0.0/8
acl CONNECT method CONNECT
acl echo_ports port $echo_https_port $echo_http_port $recorder_port $redirectors_port
http_access deny !lab_dst
http_access deny CONNECT !echo_ports
EOF
}

basic_auth() {
  cat <<EOF
auth_param basic program $helpers/basic_ncsa_auth $lab/basic.htpasswd
auth_param basic children 10 startup=2 idle=2
auth_param basic realm Gatepass Basic
auth_param basic credentialsttl 1 minute
auth_param basic utf8 off
EOF
}

# basic_short_auth: as basic_auth, but squid asks the helper again after
# a second, so that a password changed in its file is rejected at once.
basic_short_auth() {
  cat <<EOF
auth_param basic program $helpers/basic_ncsa_auth $lab/basicshort.htpasswd
auth_param basic children 5 startup=1 idle=1
auth_param basic realm Gatepass Basic Short
auth_param basic credentialsttl 1 second
auth_param basic utf8 off
EOF
}

require_auth() {
  printf '%s\n' 'acl authenticated proxy_auth REQUIRED' 'http_access allow authenticated' 'http_access deny all'
}

write_squid_confs() {
  squid_conf basic "$basic_port"
  { basic_auth; require_auth; } >>"$lab/basic/squid.conf"

  squid_conf basicshort "$basic_short_port"
  { basic_short_auth; require_auth; } >>"$lab/basicshort/squid.conf"

  squid_conf digest "$digest_port"
  cat >>"$lab/digest/squid.conf" <<EOF
auth_param digest program $helpers/digest_file_auth -c $lab/digest.passwd
auth_param digest children 5 startup=1 idle=1
auth_param digest realm Gatepass Digest
auth_param digest nonce_garbage_interval 5 minutes
auth_param digest nonce_max_duration 30 minutes
auth_param digest nonce_max_count 1000
EOF
  require_auth >>"$lab/digest/squid.conf"

  # The order of the auth_param lines is the order of the challenges.
  squid_conf ntlm "$ntlm_port"
  cat >>"$lab/ntlm/squid.conf" <<EOF
auth_param ntlm program $helpers/ntlm_fake_auth
auth_param ntlm children 5 startup=1 idle=1
EOF
  { basic_auth; require_auth; } >>"$lab/ntlm/squid.conf"

  squid_conf open "$open_port"
  printf '%s\n' 'http_access allow all' >>"$lab/open/squid.conf"

  squid_conf deny "$deny_port"
  printf '%s\n' 'http_access deny all' >>"$lab/deny/squid.conf"
}

start_squid() {
  local dir=$lab/$1
  # As root, squid runs as the user "proxy", which must write here.
  if [ "$(id -u)" -eq 0 ] && id proxy >/dev/null 2>&1; then
    chown -R proxy: "$dir"
  fi
  # -n: a service name of our own, so that instances never share a name.
  "$squid" -N -n "gplab$1$$" -f "$dir/squid.conf" >"$dir/squid.out" 2>&1 &
  pids+=("$!")
}

# --- small Python servers: Negotiate only, and one that never answers ---------

fake_servers() {
  exec python3 -u - <<'EOF'
import asyncio, sys

RESPONSE = (b"HTTP/1.1 407 Proxy Authentication Required\r\n"
            b"Proxy-Authenticate: Negotiate\r\n"
            b"Content-Type: text/plain\r\n"
            b"Content-Length: 25\r\n"
            b"\r\n"
            b"Kerberos tickets needed.\n")

async def negotiate(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    await reader.readexactly(int(value.strip() or 0))
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()

held = []

async def hang(reader, writer):
    held.append(writer)  # read and drop whatever comes, answer nothing
    try:
        while await reader.read(65536):
            pass
    except ConnectionError:
        pass
    held.remove(writer)
    writer.close()

async def main():
    servers = [await asyncio.start_server(negotiate, "127.0.0.1", 0),
               await asyncio.start_server(hang, "127.0.0.1", 0, backlog=1024)]
    print(" ".join(str(s.sockets[0].getsockname()[1]) for s in servers), flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
EOF
}

# --- start everything -----------------------------------------------------------

start_printing_port echo-http "$echo_server" --port 0
echo_http_port=$PORT
start_printing_port echo-https "$echo_server" --port 0 \
  --tls-cert "$lab/pki/server.pem" --tls-key "$lab/pki/server.key"
echo_https_port=$PORT

write_squid_confs
for name in basic basicshort digest ntlm open deny; do
  start_squid "$name"
done

if [ -n "$third_party" ]; then
  . "$here/proxy-lab-third-party.sh"
  third_party_start
fi

cat >"$lab/stunnel.conf" <<EOF
foreground = yes
pid =
debug = warning
[https-proxy]
accept = 127.0.0.1:$https_proxy_port
connect = 127.0.0.1:$basic_port
cert = $lab/pki/server.pem
key = $lab/pki/server.key
EOF
stunnel4 "$lab/stunnel.conf" >"$lab/stunnel.log" 2>&1 &
pids+=("$!")

microsocks -i 127.0.0.1 -p "$socks_port" -u "$GP_LAB_USER" -P "$GP_LAB_PASSWORD" -b 127.0.0.3 \
  >"$lab/microsocks.log" 2>&1 &
pids+=("$!")

start_printing_port fake fake_servers
read -r negotiate_port hang_port <"$lab/fake.port"

export GP_LAB_ECHO_HTTP=http://127.0.0.1:$echo_http_port
export GP_LAB_ECHO_HTTPS=https://127.0.0.1:$echo_https_port
export GP_LAB_BASIC=http://127.0.0.1:$basic_port
export GP_LAB_BASIC_ACCESS_LOG=$lab/basic/access.log
export GP_LAB_BASIC_SHORT=http://127.0.0.1:$basic_short_port
export GP_LAB_BASIC_SHORT_HTPASSWD=$lab/basicshort.htpasswd
export GP_LAB_DIGEST=http://127.0.0.1:$digest_port
export GP_LAB_NTLM=http://127.0.0.1:$ntlm_port
export GP_LAB_OPEN=http://127.0.0.1:$open_port
export GP_LAB_DENY=http://127.0.0.1:$deny_port
export GP_LAB_NEGOTIATE=http://127.0.0.1:$negotiate_port
export GP_LAB_HANG=http://127.0.0.1:$hang_port
export GP_LAB_CLOSED=http://127.0.0.1:$closed_port
export GP_LAB_HTTPS_PROXY=https://localhost:$https_proxy_port
export GP_LAB_SOCKS=socks5://127.0.0.1:$socks_port

# --- wait (at most 10 s) until every service answers as it should -------------

# code ARGS...: the HTTP status curl gets (000 when none).
code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" 2>/dev/null
}

listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

declare -A ready=()
check() {
  case $1 in
    basic|basicshort|digest|ntlm) [ "$(code -x "${2}" "$GP_LAB_ECHO_HTTP/")" = 407 ] ;;
    open) [ "$(code -x "$2" "$GP_LAB_ECHO_HTTP/")" = 200 ] ;;
    deny) [ "$(code -x "$2" "$GP_LAB_ECHO_HTTP/")" = 403 ] ;;
    echo-https) [ "$(code --cacert "$GP_LAB_CA" "$GP_LAB_ECHO_HTTPS/")" = 200 ] ;;
    https-proxy) listening "$https_proxy_port" ;;
    socks) listening "$socks_port" ;;
    *) third_party_check "$1" ;;
  esac
}

services+=(basic basicshort digest ntlm open deny echo-https https-proxy socks)
declare -A target=(
  [basic]=$GP_LAB_BASIC [basicshort]=$GP_LAB_BASIC_SHORT [digest]=$GP_LAB_DIGEST [ntlm]=$GP_LAB_NTLM
  [open]=$GP_LAB_OPEN [deny]=$GP_LAB_DENY
)
for i in $(seq 100); do
  waiting=()
  for s in "${services[@]}"; do
    [ -n "${ready[$s]:-}" ] && continue
    if check "$s" "${target[$s]:-}"; then
      ready[$s]=1
    else
      waiting+=("$s")
    fi
  done
  [ "${#waiting[@]}" -eq 0 ] && break
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      # Say why: squid writes the reason (a port taken, say) to its logs.
      tail -n 5 "$lab"/*/squid.out "$lab"/*/cache.log "$lab"/*/*.out "$lab"/*/error.log >&2 2>/dev/null
      bail "a service exited (pid $pid) while waiting for ${waiting[*]}"
    fi
  done
  [ "$i" -lt 100 ] || bail "not up within 10 s: ${waiting[*]}"
  sleep 0.1
done

[ -n "$third_party" ] && third_party_export

if [ -n "${GP_LAB_KEEP_LOGS:-}" ]; then
  echo "# proxy-lab: logs in $lab" >&2
fi

# --- run the command; a signal to us stops it and the lab ----------------------

# (A background command would read /dev/null: hand it our stdin.)
"$@" <&0 &
command_pid=$!
wait "$command_pid"
rc=$?
command_pid=
exit "$rc"
