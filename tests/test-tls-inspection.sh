# SPDX-License-Identifier: GPL-3.0-or-later
#
# TLS inspection with real parts: Debian's mitmproxy (mitmdump, with
# --proxyauth, re-signing every site with its own CA) in front of the lab's
# HTTPS echo server is `tls-inspected`, with mitmproxy's CA as the issuer;
# the lab's echo (lab CA, untrusted by the system) through plain squid with
# --direct is `tls-error`, the same certificate both ways; an `ok` through
# squid with the lab CA trusted (with-lab-ca.sh) has `tls` with trusted: true.
#
# Runs as `keyring-session.sh proxy-lab.sh bash test-tls-inspection.sh`.

here=${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}
. "$here/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"
: "${GP_LAB_ECHO_HTTPS:?run this under tests/proxy-lab.sh}"

work=$GATEPASS_TEST_TMPDIR/tls-inspection
mkdir -p "$work/mitm-home" "$work/mitm-conf"
: >"$work/all-output"
. "$here/lab-add.sh"

command -v mitmdump >/dev/null || { echo "Bail out! no mitmdump (Debian's mitmproxy package)"; exit 1; }

U=$GP_LAB_USER
P=$GP_LAB_PASSWORD
# mitmproxy splits --proxyauth at the first ':', which the lab's password holds.
MU=mallory
MP='mitm p@ss/rd #?% 9'
echo_https=$GP_LAB_ECHO_HTTPS/

# json_get JSON PYTHON-EXPRESSION: evaluates the expression on the parsed `j`.
json_get() {
  python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2]), ensure_ascii=False))' \
    "$1" "$2" 2>/dev/null || echo '<invalid JSON>'
}

# mitmdump on a free port, its CA and state in $work (never the real HOME),
# trusting the lab's CA upstream; stopped on exit.
mitm_port=$(free_port)
HOME=$work/mitm-home mitmdump --listen-host 127.0.0.1 --listen-port "$mitm_port" \
  --proxyauth "$MU:$MP" --set confdir="$work/mitm-conf" \
  --set ssl_verify_upstream_trusted_ca="$GP_LAB_CA" -q >"$work/mitm.log" 2>&1 &
mitm_pid=$!
trap 'kill "$mitm_pid" 2>/dev/null; wait "$mitm_pid" 2>/dev/null' EXIT
for _ in $(seq 300); do
  [ -s "$work/mitm-conf/mitmproxy-ca-cert.pem" ] && curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$mitm_port/" && break
  sleep 0.1
done
mitm_ca=$work/mitm-conf/mitmproxy-ca-cert.pem
ok "mitmdump created its CA in the confdir" test -s "$mitm_ca"
ok "mitmdump wrote nothing to the real HOME" not test -e "$HOME/.mitmproxy/mitmproxy-ca.pem.$$"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$mitm_ca" \
  --proxy "http://127.0.0.1:$mitm_port" --proxy-user "$MU:$MP" "$echo_https")
is "$code" 200 "the lab: curl trusting mitmproxy's CA reaches the HTTPS echo through it"
[ "$code" = 200 ] || diag "mitmdump: $(tail -n 20 "$work/mitm.log")"

add mitm "http://127.0.0.1:$mitm_port" "$MU" "$MP"
add squid "$GP_LAB_BASIC" "$U" "$P"

# --- mitmproxy re-signs: tls-inspected ------------------------------------------
gp test mitm --json --ip-echo "$echo_https" --timeout 10 </dev/null
printf '%s\n%s\n' "$OUT" "$ERR" >>"$work/all-output"
is "$RC" 1 "mitmproxy: exit 1"
is "$(json_get "$OUT" 'j[0]["verdict"]')" '"tls-inspected"' "mitmproxy: verdict tls-inspected"
like "$(json_get "$OUT" 'j[0]["tls"]["issuer"]')" "mitmproxy" "mitmproxy: tls.issuer names mitmproxy's CA"
is "$(json_get "$OUT" 'j[0]["tls"]["trusted"]')" false "mitmproxy: tls.trusted is false"
is "$(json_get "$OUT" 'j[0]["tls"]["host"]')" '"127.0.0.1"' "mitmproxy: tls.host is the echo host"
like "$(json_get "$OUT" 'j[0]["tls"]["sha256"]')" '^"[0-9a-f]{64}"$' "mitmproxy: tls.sha256 is 64 hex digits"
like "$(json_get "$OUT" 'j[0]["advice"]')" "inspects TLS.*mitmproxy.*trusted, system-wide or for this profile" \
  "mitmproxy: the advice names the issuer and what must be trusted"
like "$(json_get "$OUT" 'j[0]["advice"]')" "probably" "mitmproxy without --direct: the advice says probably"
mitm_sha=$(json_get "$OUT" 'j[0]["tls"]["sha256"]')

gp test mitm --ip-echo "$echo_https" --timeout 10 </dev/null
printf '%s\n%s\n' "$OUT" "$ERR" >>"$work/all-output"
like "$OUT" "--direct" "mitmproxy, human output: names --direct as the next step"

gp test mitm --json --direct --ip-echo "$echo_https" --timeout 10 </dev/null
printf '%s\n%s\n' "$OUT" "$ERR" >>"$work/all-output"
is "$(json_get "$OUT" 'j[0]["verdict"]')" '"tls-inspected"' "mitmproxy --direct: still tls-inspected"
unlike "$(json_get "$OUT" 'j[0]["advice"]')" "probably" "mitmproxy --direct: the advice is sure"
direct_sha=$(json_get "$OUT" 'j[0]["direct_tls"]["sha256"]')
like "$direct_sha" '^"[0-9a-f]{64}"$' "mitmproxy --direct: the direct handshake's sha256 is filled"
ok "mitmproxy --direct: the direct certificate differs from the re-signed one" \
  test "$direct_sha" != "$mitm_sha"

# --- plain squid, the echo's own untrusted certificate: tls-error ------------------
gp test squid --json --direct --ip-echo "$echo_https" --timeout 10 </dev/null
printf '%s\n%s\n' "$OUT" "$ERR" >>"$work/all-output"
is "$RC" 1 "squid, untrusted echo, --direct: exit 1"
is "$(json_get "$OUT" 'j[0]["verdict"]')" '"tls-error"' "squid, untrusted echo, --direct: tls-error, not tls-inspected"
tunnel_sha=$(json_get "$OUT" 'j[0]["tls"]["sha256"]')
direct_sha=$(json_get "$OUT" 'j[0]["direct_tls"]["sha256"]')
like "$tunnel_sha" '^"[0-9a-f]{64}"$' "squid, untrusted echo: tls.sha256 filled"
is "$direct_sha" "$tunnel_sha" "squid, untrusted echo: the same sha256 both ways"

# --- the lab CA trusted: ok, with tls trusted ----------------------------------------
OUT=$("$here/with-lab-ca.sh" "$GATEPASS" --headless test squid --json --ip-echo "$echo_https" --timeout 10 \
  </dev/null 2>"$work/err"); RC=$?
printf '%s\n' "$OUT" >>"$work/all-output"; cat "$work/err" >>"$work/all-output"
is "$RC" 0 "squid, lab CA trusted: exit 0"
is "$(json_get "$OUT" 'j[0]["verdict"]')" '"ok"' "squid, lab CA trusted: ok"
is "$(json_get "$OUT" 'j[0]["tls"]["trusted"]')" true "squid, lab CA trusted: tls.trusted is true"
like "$(json_get "$OUT" 'j[0]["tls"]["issuer"]')" '.' "squid, lab CA trusted: tls.issuer filled"

gp test squid --json --ip-echo "$GP_LAB_ECHO_HTTP/" --timeout 10 </dev/null
is "$(json_get "$OUT" 'j[0]["tls"]')" null "squid, plain HTTP echo: tls is null"

# --- hygiene ---------------------------------------------------------------------------
ok "every output is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$work/all-output" -o /dev/null
ok "no output holds the squid password" not grep -qF -- "$P" "$work/all-output"
ok "no output holds the mitmproxy password" not grep -qF -- "$MP" "$work/all-output"

kill "$mitm_pid" 2>/dev/null; wait "$mitm_pid" 2>/dev/null
ok "mitmdump is stopped" not kill -0 "$mitm_pid" 2>/dev/null
done_testing
