# SPDX-License-Identifier: GPL-3.0-or-later
#
# The proxy lab's third-party set, sourced by tests/proxy-lab.sh when it is
# run with --third-party (or GP_LAB_THIRD_PARTY=1): real proxies from Debian
# other than squid, a squid with an IP allowlist, and tests/hostile-server.py.
# Everything listens on free loopback ports, runs in the foreground in the
# lab's process group and logs to $lab. The variables it exports are listed
# in proxy-lab.sh's header.
#
# Uses from proxy-lab.sh: $lab, $here, pids, bail, free_ports, squid_conf,
# start_squid, code, listening, and the echo servers' ports.

tp_tools=(apache2 tinyproxy danted privoxy unshare mount htdigest)
for tool in "${tp_tools[@]}"; do
  command -v "$tool" >/dev/null 2>&1 ||
    bail "$tool is not installed (build-aux/dev installs the third-party set)"
done
[ "$(id -u)" -eq 0 ] || bail "the third-party set needs root (dante runs in a private mount namespace)"

read -r tp_apache_basic_port tp_apache_digest_port tp_tinyproxy_port tp_dante_port \
  tp_dante_refuse_port tp_dante_deny_port tp_privoxy_port tp_allowlist_port <<<"$(free_ports 8)"

# Credentials of their own where a proxy limits them: tinyproxy's config
# takes [-a-z0-9._] only; a 5-character password also shows whether error
# details scrub short passwords.
export GP_LAB_TINYPROXY_USER=tina
export GP_LAB_TINYPROXY_PASSWORD=k9-x.
export GP_LAB_DANTE_USER=gpsocks

tp_echo_ports="$echo_http_port $echo_https_port"
tp_run_as=
if id www-data >/dev/null 2>&1; then
  tp_run_as=www-data
fi

# --- Apache httpd: mod_proxy, mod_proxy_connect; Basic and Digest vhosts ---------

tp_apache() {
  local dir=$lab/apache mods=/usr/lib/apache2/modules mod
  mkdir -p "$dir"
  htpasswd -cbB "$dir/basic.htpasswd" "$GP_LAB_USER" "$GP_LAB_PASSWORD" >>"$dir/htpasswd.log" 2>&1 ||
    bail "htpasswd failed for Apache"
  local realm="Gatepass Apache Digest"
  printf '%s:%s:%s\n' "$GP_LAB_USER" "$realm" \
    "$(printf '%s' "$GP_LAB_USER:$realm:$GP_LAB_PASSWORD" | md5sum | cut -d' ' -f1)" >"$dir/digest.htdigest"
  chmod 644 "$dir/basic.htpasswd" "$dir/digest.htdigest"
  {
    echo "ServerRoot $dir"
    echo "ServerName gatepass-lab-apache"
    echo "PidFile $dir/httpd.pid"
    echo "ErrorLog $dir/error.log"
    echo "LogLevel warn auth_digest:info"
    echo "DefaultRuntimeDir $dir"
    echo "Mutex file:$dir default"
    echo "ScoreBoardFile $dir/scoreboard"
    for mod in mpm_event authn_core authn_file authz_core authz_user auth_basic auth_digest \
               proxy proxy_http proxy_connect; do
      echo "LoadModule ${mod}_module $mods/mod_$mod.so"
    done
    [ -n "$tp_run_as" ] && printf 'User %s\nGroup %s\n' "$tp_run_as" "$tp_run_as"
    cat <<EOF
StartServers 1
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50
MinSpareThreads 5
MaxSpareThreads 50
Timeout 10
KeepAlive On
LogFormat "%h %u \"%r\" %>s" lab
CustomLog $dir/access.log lab
ProxyRequests Off
Listen 127.0.0.1:$tp_apache_basic_port
Listen 127.0.0.1:$tp_apache_digest_port
<VirtualHost 127.0.0.1:$tp_apache_basic_port>
  ProxyRequests On
  ProxyVia Off
  AllowCONNECT $tp_echo_ports
  <Proxy *>
    AuthType Basic
    AuthName "Gatepass Apache Basic"
    AuthBasicProvider file
    AuthUserFile $dir/basic.htpasswd
    Require valid-user
  </Proxy>
</VirtualHost>
<VirtualHost 127.0.0.1:$tp_apache_digest_port>
  ProxyRequests On
  ProxyVia Off
  AllowCONNECT $tp_echo_ports
  <Proxy *>
    AuthType Digest
    AuthName "$realm"
    AuthDigestProvider file
    AuthUserFile $dir/digest.htdigest
    Require valid-user
  </Proxy>
</VirtualHost>
EOF
  } >"$dir/httpd.conf"
  apache2 -f "$dir/httpd.conf" -DFOREGROUND >"$dir/apache.out" 2>&1 &
  pids+=("$!")
}

# --- tinyproxy: BasicAuth ----------------------------------------------------------
# No credentials get a standard 407; bad ones get "401 Unauthorized" with
# WWW-Authenticate: Basic realm="Tinyproxy" (not Proxy-Authenticate), on GET
# and on CONNECT alike.

tp_tinyproxy() {
  local dir=$lab/tinyproxy port
  mkdir -p "$dir"
  {
    [ -n "$tp_run_as" ] && printf 'User nobody\nGroup nogroup\n'
    cat <<EOF
Port $tp_tinyproxy_port
Listen 127.0.0.1
Bind 127.0.0.4
Timeout 30
LogFile "$dir/tinyproxy.log"
LogLevel Info
MaxClients 50
Allow 127.0.0.1
BasicAuth $GP_LAB_TINYPROXY_USER $GP_LAB_TINYPROXY_PASSWORD
DisableViaHeader Yes
EOF
    for port in $tp_echo_ports; do echo "ConnectPort $port"; done
  } >"$dir/tinyproxy.conf"
  chmod 777 "$dir"    # it drops to nobody before it opens its log
  tinyproxy -d -c "$dir/tinyproxy.conf" >"$dir/tinyproxy.out" 2>&1 &
  pids+=("$!")
}

# --- dante: SOCKS5 with username login, checked against system users -------------

# The throwaway user lives only in copies of /etc/passwd and /etc/shadow that
# are bind-mounted over the real ones in dante's private mount namespace.
tp_dante_users() {
  local dir=$lab/dante hash
  mkdir -p "$dir"
  hash=$(printf '%s\n' "$GP_LAB_PASSWORD" | openssl passwd -6 -stdin) || bail "openssl passwd failed"
  grep -v "^$GP_LAB_DANTE_USER:" /etc/passwd >"$dir/passwd"
  echo "$GP_LAB_DANTE_USER:x:64999:65534:Gatepass lab:/nonexistent:/usr/sbin/nologin" >>"$dir/passwd"
  grep -v "^$GP_LAB_DANTE_USER:" /etc/shadow >"$dir/shadow"
  echo "$GP_LAB_DANTE_USER:$hash:19000:0:99999:7:::" >>"$dir/shadow"
  chmod 644 "$dir/passwd"
  chmod 600 "$dir/shadow"
}

# tp_danted NAME RULES...: one danted, its internal port in tp_${NAME}_port.
tp_danted() {
  local name=$1 port_var=tp_${1//-/_}_port dir=$lab/dante
  shift
  {
    cat <<EOF
logoutput: $dir/$name.log
errorlog: $dir/$name.log
internal: 127.0.0.1 port = ${!port_var}
external: 127.0.0.5
socksmethod: username
clientmethod: none
user.privileged: root
user.unprivileged: nobody
EOF
    printf '%s\n' "$@"
  } >"$dir/$name.conf"
  unshare -m sh -c 'mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/shadow" /etc/shadow &&
                    exec danted -N 1 -p "$1/$2.pid" -f "$1/$2.conf"' sh "$dir" "$name" \
    >"$dir/$name.out" 2>&1 &
  pids+=("$!")
  kill_pids+=("$!")
}

tp_dante() {
  tp_dante_users
  tp_danted dante \
    'client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }' \
    'socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect }'
  # Refuses the client's address at the TCP level: accepts, then closes.
  tp_danted dante-refuse \
    'client block { from: 0.0.0.0/0 to: 0.0.0.0/0 log: connect }'
  # Accepts the login, then refuses every request (SOCKS reply 2, not allowed).
  tp_danted dante-deny \
    'client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }' \
    'socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 log: connect }'
}

# --- privoxy: an open forwarding proxy, no filters ---------------------------------

tp_privoxy() {
  local dir=$lab/privoxy
  mkdir -p "$dir"
  cat >"$dir/config" <<EOF
confdir /etc/privoxy
logdir $dir
logfile privoxy.log
listen-address 127.0.0.1:$tp_privoxy_port
toggle 0
enable-remote-toggle 0
enable-remote-http-toggle 0
enable-edit-actions 0
accept-intercepted-requests 0
forwarded-connect-retries 0
keep-alive-timeout 5
socket-timeout 10
debug 1
EOF
  privoxy --no-daemon "$dir/config" >"$dir/privoxy.out" 2>&1 &
  pids+=("$!")
}

# --- squid with an IP allowlist that leaves out 127.0.0.1 (403) --------------------

tp_allowlist() {
  squid_conf allowlist "$tp_allowlist_port"
  printf '%s\n' 'acl office src 10.99.0.0/16' 'http_access allow office' 'http_access deny all' \
    >>"$lab/allowlist/squid.conf"
  start_squid allowlist
}

# --- the hostile server ---------------------------------------------------------------

tp_hostile() {
  export GP_LAB_RECORDER_LOG=$lab/recorder.log
  : >"$GP_LAB_RECORDER_LOG"
  python3 -u "$here/hostile-server.py" --cert "$lab/pki/server.pem" --key "$lab/pki/server.key" \
    --recorder-port "$recorder_port" --redirectors-port "$redirectors_port" --recorder-log "$GP_LAB_RECORDER_LOG" \
    --user "$GP_LAB_USER" --password "$GP_LAB_PASSWORD" >"$lab/hostile.port" 2>"$lab/hostile.log" &
  pids+=("$!")
}

third_party_start() {
  tp_allowlist
  tp_apache
  tp_tinyproxy
  tp_dante
  tp_privoxy
  tp_hostile
  services+=(apache-basic apache-digest tinyproxy dante dante-refuse dante-deny privoxy allowlist hostile)
}

# third_party_check SERVICE: succeeds once SERVICE answers as it should.
third_party_check() {
  local echo=http://127.0.0.1:$echo_http_port/
  case $1 in
    apache-basic) [ "$(code -x "http://127.0.0.1:$tp_apache_basic_port" "$echo")" = 407 ] ;;
    apache-digest) [ "$(code -x "http://127.0.0.1:$tp_apache_digest_port" "$echo")" = 407 ] ;;
    tinyproxy) [ "$(code -x "http://127.0.0.1:$tp_tinyproxy_port" "$echo")" = 407 ] ;;
    privoxy) [ "$(code -x "http://127.0.0.1:$tp_privoxy_port" "$echo")" = 200 ] ;;
    allowlist) [ "$(code -x "http://127.0.0.1:$tp_allowlist_port" "$echo")" = 403 ] ;;
    dante) listening "$tp_dante_port" ;;
    dante-refuse) listening "$tp_dante_refuse_port" ;;
    dante-deny) listening "$tp_dante_deny_port" ;;
    hostile) grep -q 'zoneips=[0-9]' "$lab/hostile.port" 2>/dev/null ;;
    *) return 1 ;;
  esac
}

third_party_export() {
  local name port
  export GP_LAB_APACHE_BASIC=http://127.0.0.1:$tp_apache_basic_port
  export GP_LAB_APACHE_DIGEST=http://127.0.0.1:$tp_apache_digest_port
  export GP_LAB_APACHE_HTPASSWD=$lab/apache/basic.htpasswd
  export GP_LAB_APACHE_HTDIGEST=$lab/apache/digest.htdigest
  export GP_LAB_APACHE_ACCESS_LOG=$lab/apache/access.log
  export GP_LAB_TINYPROXY=http://127.0.0.1:$tp_tinyproxy_port
  export GP_LAB_DANTE=socks5://127.0.0.1:$tp_dante_port
  export GP_LAB_DANTE_REFUSE=socks5://127.0.0.1:$tp_dante_refuse_port
  export GP_LAB_DANTE_DENY=socks5://127.0.0.1:$tp_dante_deny_port
  export GP_LAB_PRIVOXY=http://127.0.0.1:$tp_privoxy_port
  export GP_LAB_ALLOWLIST=http://127.0.0.1:$tp_allowlist_port
  for name in $(head -n 1 "$lab/hostile.port"); do
    port=${name#*=}
    name=${name%%=*}
    case $name in
      redirector|badip|zoneip) export "GP_LAB_ECHO_${name^^}=http://127.0.0.1:$port/" ;;
      recorder|redirectors|badips|zoneips) export "GP_LAB_ECHO_${name^^}=https://127.0.0.1:$port/" ;;
      *) export "GP_LAB_HOSTILE_${name^^}=http://127.0.0.1:$port" ;;
    esac
  done
}
