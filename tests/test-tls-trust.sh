# SPDX-License-Identifier: GPL-3.0-or-later
#
# Per-profile CA trust (--ca-file) with real parts: Debian's mitmproxy
# (mitmdump with --proxyauth, re-signing every site with its own CA) in
# front of an HTTPS origin signed by the lab CA. What --ca-file refuses
# (missing, empty, garbage, DER, a server certificate, a private key, a CA
# followed by a leaf, stdin twice) changes nothing; what it accepts is
# copied under $XDG_DATA_HOME/gatepass/ca/, `test` then trusts it (ok
# instead of tls-inspected), and `export` points curl, Python's requests
# and urllib, git and npm at a bundle of the system CAs plus that CA, each
# of which then reaches the origin through mitmproxy; without the CA
# variables each fails on the certificate. The bundle is rebuilt when it is older than its
# sources, with a note about wget and apt. `edit --ca-file ''` and
# `remove` take the files away again.
#
# Runs as `keyring-session.sh proxy-lab.sh bash test-tls-trust.sh`.

here=${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}
. "$here/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"
: "${GP_LAB_ECHO_HTTPS:?run this under tests/proxy-lab.sh}"
: "${XDG_DATA_HOME:?run this under tests/keyring-session.sh}"
: "${XDG_CONFIG_HOME:?run this under tests/keyring-session.sh}"

work=$GATEPASS_TEST_TMPDIR/tls-trust
mkdir -p "$work/mitm-home" "$work/mitm-conf" "$work/www" "$work/bad"
: >"$work/all-output"
. "$here/lab-add.sh"

# Debian's interpreter: `python3` may be another one (pyenv) without requests.
py=/usr/bin/python3
sysbundle=/etc/ssl/certs/ca-certificates.crt
pki=$(dirname "$GP_LAB_CA")
for tool in mitmdump openssl curl git npm node "$py"; do
  command -v "$tool" >/dev/null || { echo "Bail out! no $tool (build-aux/dev installs it)"; exit 1; }
done
"$py" -c 'import requests' 2>/dev/null || { echo "Bail out! no python3-requests (build-aux/dev installs it)"; exit 1; }
[ -s "$sysbundle" ] || { echo "Bail out! no system CA bundle at $sysbundle"; exit 1; }
# CA variables of the calling environment (some machines set all of them to
# the system bundle) would decide what the clients trust: only export's count.
unset CURL_CA_BUNDLE REQUESTS_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO

# mitmproxy splits --proxyauth at the first ':'.
MU=mallory
MP='mitm p@ss/rd #?% 9'
echo_https=$GP_LAB_ECHO_HTTPS/
cadir=$XDG_DATA_HOME/gatepass/ca
ini=$XDG_CONFIG_HOME/gatepass/profiles.ini
five=(CURL_CA_BUNDLE REQUESTS_CA_BUNDLE SSL_CERT_FILE NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO)

# json_get JSON PYTHON-EXPRESSION: evaluates the expression on the parsed `j`.
json_get() {
  "$py" -c 'import json, sys; j = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2]), ensure_ascii=False))' \
    "$1" "$2" 2>/dev/null || echo '<invalid JSON>'
}
# json_str JSON EXPRESSION: the same, a string printed bare.
json_str() {
  "$py" -c 'import json, sys; j = json.loads(sys.argv[1]); v = eval(sys.argv[2]); print(v if isinstance(v, str) else json.dumps(v))' \
    "$1" "$2" 2>/dev/null || echo '<invalid JSON>'
}
# fingerprints FILE: the SHA-256 of each certificate in a PEM file, one a line, in order.
fingerprints() {
  "$py" - "$1" <<'PY' 2>/dev/null
import hashlib, re, ssl, sys
text = open(sys.argv[1], encoding="ascii", errors="replace").read()
for pem in re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S):
    print(hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest())
PY
}
# same_certs FILE EXPECTED-FILE... DESCRIPTION: FILE holds the certificates
# of the expected files, in that order (by SHA-256 of the DER).
same_certs() {
  local file=$1 desc=${*: -1} got want
  set -- "${@:2:$#-2}"
  got=$(fingerprints "$file")
  want=$(for f in "$@"; do fingerprints "$f"; done)
  if [ -n "$want" ] && [ "$got" = "$want" ]; then
    _tap_report 0 "$desc"
  else
    _tap_report 1 "$desc"
    diag "got $(printf '%s' "$got" | grep -c .) certificates, expected $(printf '%s' "$want" | grep -c .)" \
      "first difference: $(diff <(printf '%s\n' "$got") <(printf '%s\n' "$want") | sed -n 2p)"
  fi
}
fp() { openssl x509 -noout -fingerprint -sha256 -in "$1" 2>/dev/null | sed 's/^.*=//'; }
log() { printf '%s\n' "$@" >>"$work/all-output"; }
# gp_logged ARGS...: gp, with what gatepass said kept for the hygiene checks.
gp_logged() { gp "$@"; log "$OUT" "$ERR"; }
# state: what --ca-file must not change when it refuses: profiles.ini's
# bytes, and every file under the CA directory with its size, mtime and hash.
state() {
  { sha256sum "$ini" 2>&1
    [ -d "$cadir" ] && find "$cadir" -printf '%P %s %T@\n' | sort
    [ -d "$cadir" ] && find "$cadir" -type f -exec sha256sum {} + | sort; } 2>&1
}
profile_id() { gp show "$1" --json </dev/null; json_str "$OUT" 'j["id"]'; }

# --- the services: an HTTPS origin (lab CA) and mitmdump in front of it ----------

# The origin: the files of $work/www over TLS with the lab's server
# certificate (127.0.0.1 and localhost); one log line per request: the
# path and the header mitmdump adds to what it forwards.
cat >"$work/origin.py" <<'PY'
import http.server, ssl, sys
port, root, cert, key, logpath = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=root, **kw)
    def log_message(self, fmt, *args):
        with open(logpath, "a") as f:
            f.write("%s via=%s\n" % (self.path, self.headers.get("X-Gatepass-Via", "-")))
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
print("ready", flush=True)
httpd.serve_forever()
PY

. "$here/www-origin.sh"
make_www_origin "$work/www" tls-trust ||
  { echo "Bail out! could not prepare the git repository: $(tail -n 5 "$work/git-setup.log")"; exit 1; }

origin_port=$(free_port)
origin=https://127.0.0.1:$origin_port
make_npm_document "$work/www" gatepass-tls "$origin"

origin_pid=
mitm_pid=
cleanup() {
  local pid
  for pid in "$mitm_pid" "$origin_pid"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
  for pid in "$mitm_pid" "$origin_pid"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null; done
  return 0
}
trap cleanup EXIT

"$py" "$work/origin.py" "$origin_port" "$work/www" "$pki/server.pem" "$pki/server.key" "$work/origin.log" \
  >"$work/origin.out" 2>&1 &
origin_pid=$!

# mitmdump on a free port, its CA and state in $work (never the real HOME),
# trusting the lab's CA upstream, marking what it forwards with a header,
# one line per flow in its log.
mitm_port=$(free_port)
HOME=$work/mitm-home mitmdump --listen-host 127.0.0.1 --listen-port "$mitm_port" \
  --proxyauth "$MU:$MP" --set confdir="$work/mitm-conf" \
  --set ssl_verify_upstream_trusted_ca="$GP_LAB_CA" \
  --modify-headers '/~q/X-Gatepass-Via/mitmproxy' >"$work/mitm.log" 2>&1 &
mitm_pid=$!
mitm=http://127.0.0.1:$mitm_port
mitm_ca=$work/mitm-conf/mitmproxy-ca-cert.pem
for _ in $(seq 300); do
  [ -s "$mitm_ca" ] && curl -s -o /dev/null --max-time 2 "$mitm/" &&
    curl -s -o /dev/null --max-time 2 --cacert "$GP_LAB_CA" "$origin/file" && break
  sleep 0.1
done
ok "mitmdump created its CA in the confdir" test -s "$mitm_ca"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$mitm_ca" \
  --proxy "$mitm" --proxy-user "$MU:$MP" "$origin/file?c=lab")
is "$code" 200 "the lab: curl trusting mitmproxy's CA reaches the origin through it"
[ "$code" = 200 ] || diag "mitmdump: $(tail -n 20 "$work/mitm.log")" "origin: $(tail -n 5 "$work/origin.out")"
ok "the lab: the origin saw mitmproxy's mark on that request" grep -qxF "/file?c=lab via=mitmproxy" "$work/origin.log"
mitm_fp=$(fp "$mitm_ca")
like "$mitm_fp" '^[0-9A-F:]{95}$' "the lab: openssl reads mitmproxy's CA"

# --- the certificates that --ca-file must refuse --------------------------------

openssl x509 -in "$mitm_ca" -outform DER -out "$work/bad/ca.der" 2>/dev/null
: >"$work/bad/empty.pem"
printf 'this is not a certificate\n\x01\x02garbage\n' >"$work/bad/garbage.pem"
cp "$pki/server.pem" "$work/bad/server.pem"
cp "$pki/server.key" "$work/bad/server.key"
cat "$mitm_ca" "$pki/server.pem" >"$work/bad/ca-then-leaf.pem"
ok "the server certificate is no CA (basicConstraints CA:FALSE)" \
  sh -c 'openssl x509 -in "$1" -noout -text | grep -q "CA:FALSE"' sh "$work/bad/server.pem"
ok "mitmproxy's certificate is a CA" \
  sh -c 'openssl x509 -in "$1" -noout -text | grep -q "CA:TRUE"' sh "$mitm_ca"
is "$(openssl x509 -inform DER -in "$work/bad/ca.der" -noout -fingerprint -sha256 2>/dev/null | sed 's/^.*=//')" \
  "$mitm_fp" "the DER file is mitmproxy's CA in DER"

# --- profiles: the same mitmproxy with and without its CA --------------------------

add plain "$mitm" "$MU" "$MP"
ok "plain: show --json has ca_file null" test "$(gp show plain --json </dev/null; json_get "$OUT" 'j["ca_file"]')" = null
gp_logged test plain --json --ip-echo "$echo_https" --timeout 10 </dev/null
is "$(json_get "$OUT" 'j[0]["verdict"]')" '"tls-inspected"' "control: a profile of mitmproxy without its CA is tls-inspected"
is "$(json_get "$OUT" 'j[0]["tls"]["trusted"]')" false "control: tls.trusted is false"

state_before=$(state)
printf '%s' "$MP" | timeout 20 "$GATEPASS" --headless add trusted "$mitm" --username "$MU" --password-stdin \
  --ca-file "$mitm_ca" >"$work/out" 2>"$work/err"
rc=$?; log "$(cat "$work/out" "$work/err")"
is "$rc" 0 "add --ca-file PATH: exit 0"
[ "$rc" = 0 ] || diag "$(cat "$work/err")"
gp show trusted --json </dev/null
tid=$(json_str "$OUT" 'j["id"]')
like "$tid" '^[A-Za-z0-9._-]+$' "trusted: show --json has an id"
is "$(json_str "$OUT" 'j["ca_file"]')" "$cadir/$tid.pem" "trusted: ca_file is \$XDG_DATA_HOME/gatepass/ca/<id>.pem"
is "$(fp "$cadir/$tid.pem")" "$mitm_fp" "trusted: the stored file holds mitmproxy's CA (same sha256 fingerprint)"
is "$(fingerprints "$cadir/$tid.pem" | wc -l)" 1 "trusted: the stored file holds that one certificate"
ok "trusted: the stored file is not a link to the file given" not test -L "$cadir/$tid.pem"
ok "add changed the CA directory" test "$state_before" != "$(state)"

# --- refused: exit 2, one line naming the problem, nothing changed ------------------

# refused LABEL REGEX COMMAND-ARGS... (stdin as given): for `add`, the profile
# must not exist afterwards; for `edit`, `show --json` must be unchanged.
refused() {
  local label=$1 re=$2 name before show_before; shift 2
  name=$2
  before=$(state)
  gp show "$name" --json </dev/null; show_before=$OUT
  gp_logged "$@"
  diag "$label: $ERR"
  is "$RC" 2 "$label: exit 2"
  like "$ERR" "$re" "$label: the message names the problem"
  unlike "$ERR" '[Uu]nknown option|[Uu]nrecognized option' "$label: --ca-file is an option gatepass knows"
  is "$(printf '%s\n' "$ERR" | grep -c .)" 1 "$label: one line on stderr"
  is "$(state)" "$before" "$label: profiles.ini and the CA directory unchanged"
  gp show "$name" --json </dev/null
  if [ "$1" = add ]; then
    is "$RC" 4 "$label: no profile was created"
  else
    is "$OUT" "$show_before" "$label: show --json unchanged"
  fi
}

for verb in add edit; do
  if [ "$verb" = add ]; then target=(add newone "$mitm"); else target=(edit trusted); fi
  refused "$verb, missing file" 'No such file|not found|does not exist|[Cc]annot (read|open)|[Cc]ould not (read|open)|missing' \
    "${target[@]}" --ca-file "$work/bad/no-such.pem" </dev/null
  refused "$verb, empty file" '[Ee]mpty|[Nn]o (PEM )?certificate' "${target[@]}" --ca-file "$work/bad/empty.pem" </dev/null
  refused "$verb, garbage" 'PEM|[Nn]o (PEM )?certificate|[Nn]ot a certificate' \
    "${target[@]}" --ca-file "$work/bad/garbage.pem" </dev/null
  refused "$verb, DER bytes" 'PEM|DER' "${target[@]}" --ca-file "$work/bad/ca.der" </dev/null
  refused "$verb, a server certificate" '[Nn]ot a CA|CA:TRUE|basicConstraints|[Nn]o CA|not.*CA' \
    "${target[@]}" --ca-file "$work/bad/server.pem" </dev/null
  refused "$verb, a CA followed by a server certificate" '[Nn]ot a CA|CA:TRUE|basicConstraints|[Nn]o CA|not.*CA' \
    "${target[@]}" --ca-file "$work/bad/ca-then-leaf.pem" </dev/null
  refused "$verb, a private key" '[Pp]rivate key|[Nn]o (PEM )?certificate|[Nn]ot a certificate' \
    "${target[@]}" --ca-file "$work/bad/server.key" </dev/null
  refused "$verb, a server certificate on stdin" '[Nn]ot a CA|CA:TRUE|basicConstraints|[Nn]o CA|not.*CA' \
    "${target[@]}" --ca-file - <"$work/bad/server.pem"
done
# With other changes in the same command: all or nothing.
refused "edit, --url with a server certificate" '[Nn]ot a CA|CA:TRUE|basicConstraints|[Nn]o CA|not.*CA' \
  edit trusted --url "http://127.0.0.1:9" --ca-file "$work/bad/server.pem" </dev/null
refused "edit, a good CA with a bad URL" '[Uu][Rr][Ll]|scheme' \
  edit plain --url "ftp://127.0.0.1:9" --ca-file "$mitm_ca" </dev/null
refused "add, a good CA with a bad URL" '[Uu][Rr][Ll]|scheme' \
  add newone "ftp://127.0.0.1:9" --ca-file "$mitm_ca" </dev/null
# A taken name: the existing profile's CA is not replaced by the other one.
before=$(state)
gp_logged add trusted "$mitm" --ca-file "$GP_LAB_CA" </dev/null
diag "add of a taken name: $ERR"
ok "add of a taken name with another CA: fails (exit $RC)" test "$RC" -ne 0
is "$(state)" "$before" "add of a taken name: profiles.ini and the CA directory unchanged"
is "$(fp "$cadir/$tid.pem")" "$mitm_fp" "add of a taken name: the existing profile keeps its CA"
before=$(state)
gp_logged edit no-such-profile --ca-file "$mitm_ca" </dev/null
is "$RC" 4 "edit of no such profile with a good CA: exit 4"
is "$(state)" "$before" "edit of no such profile: profiles.ini and the CA directory unchanged"
refused "add, --ca-file - with --password-stdin" '(stdin|standard input)' \
  add newone "$mitm" --username "$MU" --password-stdin --ca-file - < <(printf '%s' "$MP")
refused "edit, --ca-file - with --password-stdin" '(stdin|standard input)' \
  edit trusted --password-stdin --ca-file - < <(printf '%s' "$MP")

# --- edit --ca-file - (stdin) ---------------------------------------------------------

gp_logged edit plain --ca-file - <"$mitm_ca"
is "$RC" 0 "edit --ca-file - (PEM on stdin): exit 0"
[ "$RC" = 0 ] || diag "$ERR"
pid_=$(profile_id plain)
gp show plain --json </dev/null
is "$(json_str "$OUT" 'j["ca_file"]')" "$cadir/$pid_.pem" "plain: ca_file is \$XDG_DATA_HOME/gatepass/ca/<id>.pem"
is "$(fp "$cadir/$pid_.pem")" "$mitm_fp" "plain: the file from stdin holds mitmproxy's CA"
is "$(fp "$cadir/$tid.pem")" "$mitm_fp" "trusted: its own file untouched by the other profile's edit"

# Nothing but export has used plain's CA yet: its first export builds the
# bundle and says what wget and apt need.
ok "plain: no bundle before its first export" not test -e "$cadir/$pid_-bundle.pem"
gp export plain </dev/null; log "$ERR"
is "$RC" 0 "plain: first export exits 0"
ok "plain: the first export built the bundle" test -s "$cadir/$pid_-bundle.pem"
like "$ERR" "wget" "first export, bundle built: the note names wget"
like "$ERR" "ca_certificate = $cadir/$pid_-bundle.pem|--ca-certificate" "first export: the note says how wget is given the bundle"
like "$ERR" "Acquire::https::CaInfo" "first export: the note says how apt is given a CA"

# --- test trusts the profile's CA ----------------------------------------------------

for name in trusted plain; do
  gp_logged test "$name" --json --ip-echo "$echo_https" --timeout 10 </dev/null
  is "$RC" 0 "$name with mitmproxy's CA: test exits 0"
  is "$(json_get "$OUT" 'j[0]["verdict"]')" '"ok"' "$name with mitmproxy's CA: verdict ok"
  is "$(json_get "$OUT" 'j[0]["tls"]["trusted"]')" true "$name with mitmproxy's CA: tls.trusted is true"
  like "$(json_get "$OUT" 'j[0]["tls"]["issuer"]')" "mitmproxy" "$name with mitmproxy's CA: tls.issuer names mitmproxy"
  like "$(json_get "$OUT" 'j[0]["exit_ip"]')" '^"[0-9a-f.:]+"$' "$name with mitmproxy's CA: the exit IP was read"
done

# --- export: the five variables, the bundle ------------------------------------------

bundle=$cadir/$tid-bundle.pem
built_by_test=no; [ -e "$bundle" ] && built_by_test=yes
gp export trusted </dev/null
log "$ERR"
is "$RC" 0 "trusted: export exits 0"
exports=$OUT
for v in "${five[@]}"; do
  is "$(eval "$exports"; printenv "$v")" "$bundle" "trusted: eval of export sets $v to <id>-bundle.pem"
done
like "$exports" "export https_proxy=" "trusted: export still sets https_proxy"
ok "trusted: the bundle exists after export" test -s "$bundle"
# `test` builds the bundle too (it trusts the CA through it); the first
# export still gives the note, once for that version of the bundle.
is "$built_by_test" yes "trusted: the test built the bundle before any export"
like "$ERR" "ca_certificate = $bundle" "trusted: the first export after the test still gives the wget note"
gp export trusted </dev/null
unlike "$ERR" "ca_certificate" "trusted: the next export does not give it again"
gp export trusted --format environment.d </dev/null
for v in "${five[@]}"; do
  like "$OUT" "^$v=$cadir/$tid-bundle\.pem\$" "trusted: export --format environment.d has $v"
done
gp export trusted --format json </dev/null
for v in "${five[@]}"; do
  is "$(json_str "$OUT" "j.get('$v')")" "$bundle" "trusted: export --format json has $v"
done
gp export trusted </dev/null
is "$ERR" "" "second export, bundle up to date: nothing on stderr"

# The bundle: the system bundle's certificates, in order, then the CA's.
sys_n=$(grep -c 'BEGIN CERTIFICATE' "$sysbundle")
is "$(grep -c 'BEGIN CERTIFICATE' "$bundle")" "$((sys_n + 1))" "bundle: as many certificates as the system bundle ($sys_n) plus one"
same_certs "$bundle" "$sysbundle" "$mitm_ca" "bundle: the system bundle's certificates followed by mitmproxy's CA"

# Older than its CA: the next export rebuilds it (and says so), the one after not.
ca_m=$(stat -c %Y "$cadir/$tid.pem")
sys_m=$(stat -c %Y "$sysbundle")
if [ "$((ca_m - sys_m))" -ge 4 ]; then
  old=$((sys_m + (ca_m - sys_m) / 2))    # newer than the system bundle, older than the CA
  touch -d "@$old" "$bundle"
  printf 'stale\n' >>"$bundle"; touch -d "@$old" "$bundle"
  gp export trusted </dev/null; log "$ERR"
  is "$RC" 0 "bundle older than its CA: export exits 0"
  ok "bundle older than its CA: export rebuilt it (mtime changed)" test "$(stat -c %Y "$bundle")" != "$old"
  ok "bundle older than its CA: the rebuilt bundle is whole again" not grep -qx stale "$bundle"
  like "$ERR" "wget" "bundle rebuilt: the note names wget"
  like "$ERR" "Acquire::https::CaInfo" "bundle rebuilt: the note names apt's Acquire::https::CaInfo"
  rebuilt_m=$(stat -c %Y "$bundle")
  sleep 1
  gp export trusted </dev/null; log "$ERR"
  is "$(stat -c %Y "$bundle")" "$rebuilt_m" "bundle up to date: the next export leaves it alone"
  unlike "$ERR" "wget|Acquire" "bundle up to date: no note"
else
  diag "the system bundle is not older than the CA file by 4 s: skipping the CA-newer case"
fi

# A newer system bundle (a copy bind-mounted over it in a private mount
# namespace, as tests/with-lab-ca.sh does: /etc itself is never changed)
# makes export rebuild the bundle from it.
cp "$GP_LAB_CA_BUNDLE" "$work/newer-system.crt"
touch -d "@$(( $(stat -c %Y "$bundle") + 5 ))" "$work/newer-system.crt"
if unshare -m true 2>/dev/null; then
  OUT=$(GP_LAB_CA_BUNDLE=$work/newer-system.crt "$here/with-lab-ca.sh" "$GATEPASS" --headless export trusted \
    </dev/null 2>"$work/err"); RC=$?; ERR=$(cat "$work/err"); log "$ERR"
  is "$RC" 0 "newer system bundle: export exits 0"
  same_certs "$bundle" "$work/newer-system.crt" "$mitm_ca" "newer system bundle: the bundle was rebuilt from it"
  like "$ERR" "wget" "newer system bundle: the note names wget"
  # Back to the real system bundle: make ours older than the CA again.
  touch -d "@$(( $(stat -c %Y "$cadir/$tid.pem") - 1 ))" "$bundle"
  gp export trusted </dev/null; log "$ERR"
  same_certs "$bundle" "$sysbundle" "$mitm_ca" "bundle rebuilt from the real system bundle again"
else
  diag "no mount namespace here: skipping the newer-system-bundle case"
fi

# --- real clients through mitmproxy with what export set -------------------------------

# with_export NAME [-u VAR...] -- COMMAND...: runs COMMAND in a subshell
# whose environment is what `eval "$(gatepass --headless export NAME)"`
# sets, minus the variables after -u; its stderr goes to $work/client.err.
with_export() {
  local name=$1; shift
  local drop=()
  if [ "$1" = -u ]; then
    shift
    while [ "$1" != -- ]; do drop+=("$1"); shift; done
  fi
  shift
  (
    unset http_proxy https_proxy no_proxy all_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY "${five[@]}"
    exports=$(timeout 20 "$GATEPASS" --headless export "$name" 2>/dev/null) || exit 90
    eval "$exports"
    [ "${#drop[@]}" -eq 0 ] || unset "${drop[@]}"
    [ -n "$https_proxy" ] || exit 91
    "$@"
  ) 2>"$work/client.err"
}

c_curl() { curl -fsS --max-time 15 "$origin/file?c=curl$1"; }
c_python() {
  "$py" -c 'import sys, requests
r = requests.get(sys.argv[1], timeout=15)
r.raise_for_status()
sys.stdout.write(r.text)' "$origin/file?c=python$1"
}
# Python's own urllib: the ssl module's default context, OpenSSL's SSL_CERT_FILE.
c_urllib() {
  "$py" -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=15).read().decode())' "$origin/file?c=urllib$1"
}
# git asks the proxy without credentials first (CURLAUTH_ANY) and retries on
# the same connection after the 407; mitmproxy 8.1 never answers a CONNECT
# that comes after its 407 on one connection (curl --proxy-anyauth hangs
# the same way), so git is told to send Basic at once: proxy authentication
# only, nothing about what it trusts.
c_git() {
  local out
  out=$(GIT_HTTP_PROXY_AUTHMETHOD=basic timeout 30 git ls-remote "$origin/repo.git" refs/heads/main) || return
  printf '%s\n' "${out%%$'\t'*}"
}
c_npm() {
  local cache
  cache=$(mktemp -d "$work/npm.XXXXXX") &&
    : >"$work/npmrc" && : >"$work/npmrc-global" &&
    npm_config_cache=$cache npm_config_userconfig=$work/npmrc npm_config_globalconfig=$work/npmrc-global \
    npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
    npm_config_fetch_retries=0 npm_config_fetch_timeout=15000 \
    timeout 60 npm view gatepass-tls description --registry "$origin/"
}
clients=(curl python urllib git npm)
declare -A expect=([curl]=$payload [python]=$payload [urllib]=$payload [git]=$head_commit [npm]=$payload)
# The variable each client reads: with only that one of the five, it works.
# (The other way round proves less: curl also reads SSL_CERT_FILE, requests
# also CURL_CA_BUNDLE.)
declare -A reads=([curl]=CURL_CA_BUNDLE [python]=REQUESTS_CA_BUNDLE [urllib]=SSL_CERT_FILE
                  [git]=GIT_SSL_CAINFO [npm]=NODE_EXTRA_CA_CERTS)
# What each asks the origin for (seen there with mitmproxy's mark).
declare -A asks=([curl]='/file?c=curl-ok' [python]='/file?c=python-ok' [urllib]='/file?c=urllib-ok'
                 [git]='/repo.git/info/refs' [npm]='/gatepass-tls')
cert_error='certificate|CERT|issuer'

for c in "${clients[@]}"; do
  : >"$work/origin.log"
  got=$(with_export trusted -- "c_$c" -ok); rc=$?
  is "$rc" 0 "$c with export's variables: exit 0"
  [ "$rc" = 0 ] || diag "$(head -c 600 "$work/client.err")"
  is "$got" "${expect[$c]}" "$c with export's variables: fetched what the origin serves"
  ok "$c: the origin saw the request come through mitmproxy" \
    grep -qE "^$(printf '%s' "${asks[$c]}" | sed 's/[?.]/\\&/g').* via=mitmproxy\$" "$work/origin.log"
  unlike "$(cat "$work/origin.log")" 'via=-$' "$c: no request reached the origin around mitmproxy"

  got=$(with_export trusted -u "${five[@]}" -- "c_$c" -bare); rc=$?
  ok "$c without the CA variables: fails (export itself worked)" test "$rc" -ne 0 -a "$rc" -ne 90 -a "$rc" -ne 91
  like "$(cat "$work/client.err")" "$cert_error" "$c without the CA variables: a certificate error"
  unlike "$got" "$payload|$head_commit" "$c without the CA variables: fetched nothing"

  others=()
  for v in "${five[@]}"; do [ "$v" = "${reads[$c]}" ] || others+=("$v"); done
  got=$(with_export trusted -u "${others[@]}" -- "c_$c" -only)
  is "$got" "${expect[$c]}" "$c with ${reads[$c]} alone of the five: fetched it"
  [ "$got" = "${expect[$c]}" ] || diag "$(head -c 600 "$work/client.err")"
done
ok "mitmdump logged the clients' requests" grep -q "c=curl-ok" "$work/mitm.log"

# --- --ca-file '' and remove take the files away --------------------------------------

gp export plain </dev/null
ok "plain: export built its bundle" test -s "$cadir/$pid_-bundle.pem"
ok "plain: its <id>.pem is there before --ca-file ''" test -s "$cadir/$pid_.pem"
gp_logged edit plain --ca-file ''
is "$RC" 0 "edit --ca-file '': exit 0"
gp show plain --json </dev/null
is "$(json_get "$OUT" 'j["ca_file"]')" null "edit --ca-file '': ca_file is null"
ok "edit --ca-file '': <id>.pem is gone" not test -e "$cadir/$pid_.pem"
ok "edit --ca-file '': <id>-bundle.pem is gone" not test -e "$cadir/$pid_-bundle.pem"
ok "edit --ca-file '': the other profile's files stay" test -s "$cadir/$tid.pem" -a -s "$bundle"
gp export plain </dev/null
is "$RC" 0 "plain without CA: export exits 0"
for v in "${five[@]}"; do
  unlike "$OUT" "$v" "plain without CA: export has no $v"
done
like "$OUT" "export https_proxy=" "plain without CA: export still sets https_proxy"

# One shell, from the profile with a CA to the one without: the CA variables
# that named Gatepass's bundle go, a user's own SSL_CERT_FILE stays, and
# curl no longer trusts mitmproxy.
switched=$(
  unset "${five[@]}"
  eval "$(timeout 20 "$GATEPASS" --headless export trusted 2>/dev/null)"
  [ "$CURL_CA_BUNDLE" = "$bundle" ] || { echo "trusted's export did not set CURL_CA_BUNDLE"; exit; }
  export SSL_CERT_FILE=$sysbundle
  eval "$(timeout 20 "$GATEPASS" --headless export plain 2>/dev/null)"
  for v in "${five[@]}"; do printf '%s=%s\n' "$v" "${!v-(unset)}"; done
  curl -fsS --max-time 15 "$origin/file?c=curl-switched" >/dev/null 2>&1 && echo "curl=reached" || echo "curl=failed"
)
is "$switched" "$(printf '%s\n' CURL_CA_BUNDLE='(unset)' REQUESTS_CA_BUNDLE='(unset)' SSL_CERT_FILE="$sysbundle" \
  NODE_EXTRA_CA_CERTS='(unset)' GIT_SSL_CAINFO='(unset)' curl=failed)" \
  "switching to a profile without CA: Gatepass's CA variables unset, the user's own SSL_CERT_FILE kept"
gp_logged test plain --json --ip-echo "$echo_https" --timeout 10 </dev/null
is "$(json_get "$OUT" 'j[0]["verdict"]')" '"tls-inspected"' "plain without CA again: tls-inspected"

ok "trusted: <id>.pem and <id>-bundle.pem are there before remove" test -s "$cadir/$tid.pem" -a -s "$bundle"
# More than one CA in the file: all of them kept, in order.
cat "$mitm_ca" "$GP_LAB_CA" >"$work/two-cas.pem"
printf '%s' "$MP" | timeout 20 "$GATEPASS" --headless add two "$mitm" --username "$MU" --password-stdin \
  --ca-file "$work/two-cas.pem" >"$work/out" 2>"$work/err"
rc=$?; log "$(cat "$work/out" "$work/err")"
is "$rc" 0 "add --ca-file with two CAs in the file: exit 0"
two_id=$(profile_id two)
same_certs "$cadir/$two_id.pem" "$mitm_ca" "$GP_LAB_CA" "two CAs: the stored file holds both, in order"
gp_logged test two --json --ip-echo "$echo_https" --timeout 10 </dev/null
is "$(json_get "$OUT" 'j[0]["verdict"]')" '"ok"' "two CAs: test is ok"
gp_logged remove two </dev/null
is "$RC" 0 "two CAs: remove exits 0"
ok "two CAs: remove took <id>.pem and <id>-bundle.pem" \
  sh -c '! test -e "$1.pem" && ! test -e "$1-bundle.pem"' sh "$cadir/$two_id"

gp_logged remove trusted </dev/null
is "$RC" 0 "remove of a profile with a CA: exit 0"
ok "remove: <id>.pem is gone" not test -e "$cadir/$tid.pem"
ok "remove: <id>-bundle.pem is gone" not test -e "$bundle"
is "$(find "$cadir" -type f 2>/dev/null | wc -l)" 0 "the CA directory holds no file of any profile any more"

# --- hygiene -----------------------------------------------------------------------------

ok "every output is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$work/all-output" -o /dev/null
ok "no output holds the mitmproxy password" not grep -qF -- "$MP" "$work/all-output"
ok "the CA directory never held the password" not grep -rqF -- "$MP" "$cadir"

stopped=("$mitm_pid" "$origin_pid")
cleanup; origin_pid= mitm_pid=
ok "mitmdump and the origin are stopped" \
  sh -c '! kill -0 "$1" 2>/dev/null && ! kill -0 "$2" 2>/dev/null' sh "${stopped[@]}"
done_testing
