# SPDX-License-Identifier: GPL-3.0-or-later
#
# The proxy lab's matrix: `gatepass --headless test` against real
# third-party proxies (Apache mod_proxy with Basic and Digest, tinyproxy,
# dante, privoxy, a squid with an IP allowlist) and against hostile servers,
# on plain HTTP and through CONNECT, each case with the verdict that the
# contract (CLI.md, "test results") requires. Then, for every output: valid
# UTF-8 JSON, no control characters in any string or in the human output,
# no form of any lab password anywhere (outputs, result files, what the
# redirect's target received), and every case within its timeout + 3 s.
#
# First it checks with curl that each proxy is set up as intended, so that a
# failure below is Gatepass's, not the lab's.
#
# Runs as `keyring-session.sh proxy-lab.sh --third-party bash test-lab.sh`.

here=${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}
. "$here/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"
: "${GP_LAB_APACHE_BASIC:?run this under tests/proxy-lab.sh --third-party}"

with_ca=$here/with-lab-ca.sh
# Debian's own Python: a version manager's shim (pyenv) costs 100 ms a call,
# and this test calls it a few hundred times.
python3() {
  if [ -x /usr/bin/python3 ]; then /usr/bin/python3 "$@"; else command python3 "$@"; fi
}
work=$GATEPASS_TEST_TMPDIR/lab-test
mkdir -p "$work/json" "$work/human"
: >"$work/all-output"

U=$GP_LAB_USER
P=$GP_LAB_PASSWORD
TU=$GP_LAB_TINYPROXY_USER
TP=$GP_LAB_TINYPROXY_PASSWORD
DU=$GP_LAB_DANTE_USER
wrong='wrong p@ss:w/rd #?% 2'
short_wrong='zq-7.'
changed='changed p@ss:w/rd #?% 3'
passwords=("$P" "$TP" "$wrong" "$short_wrong" "$changed")
users=("$U" "$TU" "$DU")
timeout_s=5
limit_ms=$(( (timeout_s + 3) * 1000 ))
echo_http=$GP_LAB_ECHO_HTTP/
echo_https=$GP_LAB_ECHO_HTTPS/

# json_get JSON PYTHON-EXPRESSION: evaluates the expression on the parsed `j`.
json_get() {
  python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2]), ensure_ascii=False))' \
    "$1" "$2" 2>/dev/null || echo '<invalid JSON>'
}

# run [--ca] ARGS...: `gatepass --headless ARGS` (under with-lab-ca.sh with
# --ca), stdin from /dev/null, killed after 30 s. Sets OUT, ERR, RC, MS, and
# keeps the raw bytes of every output for the checks at the end.
runs=0
slow=()
run() {
  local prefix=() start end kind=human
  if [ "$1" = --ca ]; then
    prefix=("$with_ca")
    shift
  fi
  case " $* " in *" --json "*) kind=json ;; esac
  runs=$((runs + 1))
  start=$(date +%s%N)
  timeout 30 "${prefix[@]}" "$GATEPASS" --headless "$@" </dev/null >"$work/$kind/$runs" 2>"$work/err"
  RC=$?
  end=$(date +%s%N)
  MS=$(( (end - start) / 1000000 ))
  [ "$MS" -le "$limit_ms" ] || slow+=("$* (${MS} ms)")
  OUT=$(cat "$work/$kind/$runs")
  ERR=$(cat "$work/err")
  { printf '== %s\n' "$*"; cat "$work/$kind/$runs" "$work/err"; } >>"$work/all-output"
  cat "$work/err" >>"$work/human/stderr"
}

. "$here/lab-add.sh"

# probe [--ca] [--human] NAME ECHO [ARGS...]: tests one profile as JSON and
# sets R to its one object; with --human, also runs it without --json.
probe() {
  local ca=() human=
  while :; do
    case $1 in
      --ca) ca=(--ca); shift ;;
      --human) human=1; shift ;;
      *) break ;;
    esac
  done
  local name=$1 echo=$2
  shift 2
  if [ -n "$human" ]; then
    run "${ca[@]}" test "$name" --ip-echo "$echo" --timeout "$timeout_s" "$@"
  fi
  run "${ca[@]}" test "$name" --json --ip-echo "$echo" --timeout "$timeout_s" "$@"
  # One Python for all fields: R on the first line, then NAME<TAB>JSON.
  local first=1 key value
  F=()
  while IFS=$'\t' read -r key value; do
    if [ -n "$first" ]; then
      R=$key first=
    else
      F[$key]=$value
    fi
  done < <(python3 -c 'import json, sys
try:
    j = json.loads(sys.argv[1])
    r = j[0] if isinstance(j, list) and len(j) == 1 else "not one object"
except ValueError:
    r = "<invalid JSON>"
print(json.dumps(r, ensure_ascii=False))
for k, v in (r.items() if isinstance(r, dict) else ()):
    print("%s\t%s" % (k, json.dumps(v, ensure_ascii=False)))' "$OUT")
  [ -n "${SHOW_RESULTS:-}" ] && diag "$name: $R"
}
declare -A F=()

# field NAME: the JSON value of field NAME of R.
field() { printf '%s\n' "${F[$1]-<missing>}"; }

# expect DESC VERDICT [EXIT_IP]: the verdict, exit_ip (null unless given) and
# exit status (0 for ok, else 1) of the last probe.
expect() {
  local ip=${3:-null}
  is "$(field verdict)" "\"$2\"" "$1: verdict $2"
  [ "$(field verdict)" = "\"$2\"" ] ||
    diag "status: $(field status), advice: $(field advice), detail: $(field detail)" "stderr: $ERR"
  is "$(field exit_ip)" "$ip" "$1: exit_ip $ip"
  if [ "$2" = ok ]; then
    is "$RC" 0 "$1: exit status 0"
  else
    is "$RC" 1 "$1: exit status 1"
  fi
}

# status_is DESC REGEX: the status of the last probe.
status_is() { like "$(field status)" "^($2)\$" "$1: status $2"; }

# code ARGS...: the HTTP status curl gets (000 when none).
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" 2>/dev/null; }

# --- the lab is what it claims to be (curl) -----------------------------------------

ca=(--cacert "$GP_LAB_CA")
is "$(code -x "$GP_LAB_APACHE_BASIC" -U "$U:$P" "$echo_http")" 200 "lab: Apache Basic, right password: 200"
is "$(code -x "$GP_LAB_APACHE_BASIC" -U "$U:$wrong" "$echo_http")" 407 "lab: Apache Basic, wrong password: 407"
is "$(code -x "$GP_LAB_APACHE_BASIC" -U "$U:$P" "${ca[@]}" "$echo_https")" 200 "lab: Apache Basic, CONNECT: 200"
is "$(code -x "$GP_LAB_APACHE_DIGEST" --proxy-digest -U "$U:$P" "$echo_http")" 200 "lab: Apache Digest, right password: 200"
is "$(code -x "$GP_LAB_APACHE_DIGEST" --proxy-digest -U "$U:$wrong" "$echo_http")" 407 "lab: Apache Digest, wrong password: 407"
is "$(code -x "$GP_LAB_APACHE_DIGEST" --proxy-digest -U "$U:$P" "${ca[@]}" "$echo_https")" 200 \
   "lab: Apache Digest, CONNECT (curl sends uri=host:port): 200"
like "$(curl -s -D - -o /dev/null -x "$GP_LAB_APACHE_DIGEST" "$echo_http")" \
   'Proxy-Authenticate: Digest realm="Gatepass Apache Digest"' "lab: Apache Digest offers Digest only"
is "$(code -x "$GP_LAB_TINYPROXY" -U "$TU:$TP" "$echo_http")" 200 "lab: tinyproxy, right password: 200"
is "$(code -x "$GP_LAB_TINYPROXY" "$echo_http")" 407 "lab: tinyproxy, no credentials: 407"
is "$(code -x "$GP_LAB_TINYPROXY" -U "$TU:$short_wrong" "$echo_http")" 401 "lab: tinyproxy, wrong password: 401"
is "$(curl -s -o /dev/null -w '%{http_connect}' --max-time 5 -p -x "$GP_LAB_TINYPROXY" -U "$TU:$short_wrong" "$echo_https")" 401 \
   "lab: tinyproxy, wrong password on CONNECT: 401"
is "$(curl -s --max-time 5 -x "$GP_LAB_TINYPROXY" -U "$TU:$TP" "$echo_http")" 127.0.0.4 "lab: tinyproxy leaves from 127.0.0.4"
is "$(curl -s --max-time 5 -x "$GP_LAB_DANTE" -U "$DU:$P" "$echo_http")" 127.0.0.5 "lab: dante, right password: through, from 127.0.0.5"
is "$(code -x "$GP_LAB_DANTE" -U "$DU:$wrong" "$echo_http")" 000 "lab: dante, wrong password: refused"
like "$(curl -sS --max-time 5 -x "$GP_LAB_DANTE_REFUSE" -U "$DU:$P" "$echo_http" 2>&1)" 'reset|closed|Recv failure|Failed to receive' \
   "lab: dante-refuse closes the connection"
like "$(curl -sS --max-time 5 -x "$GP_LAB_DANTE_DENY" -U "$DU:$P" "$echo_http" 2>&1)" '\(2\)' \
   "lab: dante-deny answers SOCKS reply 2 (not allowed)"
is "$(curl -s --max-time 5 -x "$GP_LAB_PRIVOXY" "$echo_http")" 127.0.0.1 "lab: privoxy lets anyone through"
is "$(code -x "$GP_LAB_PRIVOXY" "${ca[@]}" "$echo_https")" 200 "lab: privoxy, CONNECT: 200"
is "$(code -x "$GP_LAB_ALLOWLIST" "$echo_http")" 403 "lab: the allowlist squid refuses 127.0.0.1: 403"
is "$(curl -s --max-time 5 -x "$GP_LAB_HOSTILE_BLOCKPAGE" -U "$U:$P" -D - -o /dev/null "$echo_http" | grep -c '^Location: http://alice:')" 1 \
   "lab: the block-page proxy answers 302 with userinfo in Location"

ok "lab: dante's throwaway user is not in the machine's own /etc/passwd" not grep -q "^$DU:" /etc/passwd
ok "lab: ... nor in /etc/shadow" not grep -q "^$DU:" /etc/shadow

# The positive control of the leak test: a client that follows the
# redirect and carries a Proxy-Authorization header of its own delivers it,
# inside the new tunnel, to the redirect's target.
b64=$(printf '%s' "$U:$P" | base64 -w0)
is "$(curl -sL --max-time 5 "${ca[@]}" -U "$U:$P" -H "Proxy-Authorization: Basic $b64" -x "$GP_LAB_BASIC" \
       "$GP_LAB_ECHO_REDIRECTOR")" 198.51.100.66 "lab: curl -L through squid reaches the recorder"
ok "lab: ... and the recorder logged the Proxy-Authorization header (the leak is observable)" \
  grep -qiF "Proxy-Authorization: Basic $b64" "$GP_LAB_RECORDER_LOG"
: >"$GP_LAB_RECORDER_LOG"

# --- the profiles ------------------------------------------------------------------------

add apache-basic-none  "$GP_LAB_APACHE_BASIC"
add apache-basic-wrong "$GP_LAB_APACHE_BASIC" "$U" "$wrong"
add apache-basic-ok    "$GP_LAB_APACHE_BASIC" "$U" "$P"
add apache-digest-none  "$GP_LAB_APACHE_DIGEST"
add apache-digest-wrong "$GP_LAB_APACHE_DIGEST" "$U" "$wrong"
add apache-digest-ok    "$GP_LAB_APACHE_DIGEST" "$U" "$P"
add tiny-none  "$GP_LAB_TINYPROXY"
add tiny-wrong "$GP_LAB_TINYPROXY" "$TU" "$short_wrong"
add tiny-ok    "$GP_LAB_TINYPROXY" "$TU" "$TP"
add dante-none   "$GP_LAB_DANTE"
add dante-wrong  "$GP_LAB_DANTE" "$DU" "$short_wrong"
add dante-ok     "$GP_LAB_DANTE" "$DU" "$P"
add dante-refuse "$GP_LAB_DANTE_REFUSE" "$DU" "$P"
add dante-deny   "$GP_LAB_DANTE_DENY" "$DU" "$P"
add privoxy "$GP_LAB_PRIVOXY"
add allowlist "$GP_LAB_ALLOWLIST"
add squid-basic "$GP_LAB_BASIC" "$U" "$P"
for h in garbage random midheader bigheaders challenges10k escreason loop blockpage; do
  v=GP_LAB_HOSTILE_${h^^}
  add "hostile-$h" "${!v}" "$U" "$P"
done
add hostile-challenges100 "$GP_LAB_HOSTILE_CHALLENGES100"
add hostile-c1realm-none "$GP_LAB_HOSTILE_C1REALM"
add hostile-c1realm "$GP_LAB_HOSTILE_C1REALM" "$U" "$P"
add short-closed "${GP_LAB_CLOSED/http:/socks5:}" "$TU" "$TP"

# --- each case on both paths: plain HTTP and CONNECT -----------------------------------

for path in http connect; do
  if [ "$path" = http ]; then
    ca=() echo=$echo_http p=
  else
    ca=(--ca) echo=$echo_https p="CONNECT, "
  fi

  # Apache mod_proxy, Basic
  probe "${ca[@]}" apache-basic-none "$echo"
  expect "${p}apache basic, no password" auth-required
  status_is "${p}apache basic, no password" 407
  is "$(json_get "$R" '[(c["scheme"], c["realm"]) for c in j["challenges"]]')" '[["Basic", "Gatepass Apache Basic"]]' \
     "${p}apache basic, no password: the Basic challenge"
  probe "${ca[@]}" apache-basic-wrong "$echo"
  expect "${p}apache basic, wrong password" auth-rejected
  status_is "${p}apache basic, wrong password" 407
  probe "${ca[@]}" apache-basic-ok "$echo"
  expect "${p}apache basic, right password" ok '"127.0.0.1"'

  # Apache mod_proxy, Digest (on CONNECT, uri must be host:port)
  probe "${ca[@]}" apache-digest-none "$echo"
  expect "${p}apache digest, no password" auth-required
  is "$(json_get "$R" '[(c["scheme"], c["realm"]) for c in j["challenges"]]')" '[["Digest", "Gatepass Apache Digest"]]' \
     "${p}apache digest, no password: the Digest challenge"
  probe "${ca[@]}" apache-digest-wrong "$echo"
  expect "${p}apache digest, wrong password" auth-rejected
  status_is "${p}apache digest, wrong password" 407
  probe "${ca[@]}" apache-digest-ok "$echo"
  expect "${p}apache digest, right password" ok '"127.0.0.1"'
  # Clients that read http_proxy send Basic only: the advice says so.
  like "$(field advice)" 'Basic' "${p}apache digest, right password: the advice says that Basic is not offered"
  diag "${p}apache digest ok: basic_offered $(field basic_offered)"

  # tinyproxy: 407 without credentials, 401 for bad ones
  probe "${ca[@]}" tiny-none "$echo"
  expect "${p}tinyproxy, no password" auth-required
  probe "${ca[@]}" --human tiny-wrong "$echo"
  expect "${p}tinyproxy, wrong password (401 from the proxy)" auth-rejected
  status_is "${p}tinyproxy, wrong password" 401
  like "$(field advice)" '401' "${p}tinyproxy, wrong password: the advice notes the non-standard 401"
  probe "${ca[@]}" tiny-ok "$echo"
  expect "${p}tinyproxy, right password" ok '"127.0.0.4"'

  # dante, SOCKS5 with username login
  probe "${ca[@]}" dante-ok "$echo"
  expect "${p}dante, right password" ok '"127.0.0.5"'
  probe "${ca[@]}" dante-wrong "$echo"
  expect "${p}dante, wrong password" auth-rejected
  is "$(field status)" null "${p}dante, wrong password: status null"
  probe "${ca[@]}" dante-none "$echo"
  expect "${p}dante, no password" auth-required
  probe "${ca[@]}" dante-refuse "$echo"
  expect "${p}dante refusing the address (closes after accept)" forbidden
  is "$(field action)" '"test-directly"' "${p}dante refusing the address: the action is a test that asks directly"
  like "$(field advice)" 'directly' "${p}dante refusing the address: the advice says why"
  probe "${ca[@]}" --human dante-refuse "$echo" --direct
  expect "${p}dante refusing the address, --direct" forbidden
  like "$(field advice)" '127\.0\.0\.1' "${p}dante refusing the address, --direct: the advice names 127.0.0.1"
  is "$(field action)" null "${p}dante refusing the address, --direct: nothing more to do here"
  probe "${ca[@]}" dante-deny "$echo"
  expect "${p}dante refusing the request (reply 2)" forbidden

  # privoxy, open
  probe "${ca[@]}" privoxy "$echo"
  expect "${p}privoxy" ok '"127.0.0.1"'

  # squid with an IP allowlist
  probe "${ca[@]}" allowlist "$echo" --direct
  expect "${p}squid allowlist, --direct" forbidden
  status_is "${p}squid allowlist, --direct" 403
  like "$(field advice)" '127\.0\.0\.1' "${p}squid allowlist, --direct: the advice names the address 127.0.0.1"

  # hostile answers that are not usable HTTP
  for h in garbage random midheader bigheaders challenges10k; do
    probe "${ca[@]}" --human "hostile-$h" "$echo"
    expect "${p}hostile $h" protocol-error
  done

  # within libsoup's limit: listed, but only the first 64
  probe "${ca[@]}" hostile-challenges100 "$echo"
  expect "${p}hostile, 100 challenges" auth-required
  is "$(json_get "$R" 'len(j["challenges"])')" 64 "${p}hostile, 100 challenges: the first 64 are listed"
  is "$(json_get "$R" 'j["challenges"][0]["realm"]')" '"r0"' "${p}hostile, 100 challenges: in order"

  # control characters in a realm and in a reason phrase
  probe "${ca[@]}" --human hostile-c1realm-none "$echo"
  expect "${p}hostile C1 realm, no password" auth-required
  like "$(json_get "$R" 'j["challenges"][0]["realm"]')" 'Gatepass C1 .*realm end' \
       "${p}hostile C1 realm: the realm's printable text is kept"
  probe "${ca[@]}" --human hostile-c1realm "$echo"
  expect "${p}hostile C1 realm, with password" auth-rejected
  probe "${ca[@]}" --human hostile-escreason "$echo"
  unlike "$(field verdict)" '^"(ok|protocol-error)"$' "${p}hostile 502 with ESC in the reason: a usable answer, not ok"
  status_is "${p}hostile 502 with ESC in the reason" 502
  is "$(field exit_ip)" null "${p}hostile 502: exit_ip null"

  # redirects are never followed
  probe "${ca[@]}" --human hostile-loop "$echo"
  expect "${p}hostile redirect loop" redirected
  like "$(field location)" '^"http://127\.0\.0\.1:[0-9]+/loop"$' "${p}hostile redirect loop: location"
  probe "${ca[@]}" --human hostile-blockpage "$echo"
  expect "${p}block page after accepted credentials" redirected
  is "$(field location)" '"http://block.example/blocked?reason=policy"' \
     "${p}block page: the location, without its userinfo"
done

# --- the password leak through a followed redirect ---------------------------------------

# squid's access.log: one line per request, the user in column 8. Any
# request counts: a followed redirect is a second one (a CONNECT to the
# recorder).
credentialed() { awk -v u="$U" '$8 == u { n++ } END { print n + 0 }' "$GP_LAB_BASIC_ACCESS_LOG"; }

# --ca: were the redirect followed, the recorder's certificate would be
# trusted and the request would reach it.
: >"$GP_LAB_RECORDER_LOG"
before=$(credentialed)
probe --ca squid-basic "$GP_LAB_ECHO_REDIRECTOR"
expect "echo redirects to https (squid basic)" redirected
is "$(field location)" "\"$GP_LAB_ECHO_RECORDER\"" "echo redirects: the location"
sleep 0.2   # squid writes the line when the transaction ends
after=$(credentialed)
is "$((after - before))" 1 "echo redirects: exactly one credentialed request at squid"
run --ca test squid-basic --ip-echo "$GP_LAB_ECHO_REDIRECTOR" --timeout "$timeout_s"
like "$OUT" 'redirected' "echo redirects, human output: redirected"
is "$(grep -c '' "$GP_LAB_RECORDER_LOG")" 0 "echo redirects: the redirect's target received nothing"

# Through CONNECT: the TLS echo redirects; and the recorder itself as echo
# must never see a proxy credential inside the tunnel.
before=$(credentialed)
probe --ca squid-basic "$GP_LAB_ECHO_REDIRECTORS"
expect "CONNECT, echo redirects (squid basic)" redirected
is "$(field location)" "\"$GP_LAB_ECHO_RECORDER\"" "CONNECT, echo redirects: the location"
sleep 0.2
after=$(credentialed)
is "$((after - before))" 1 "CONNECT, echo redirects: exactly one credentialed CONNECT at squid"
is "$(grep -c '' "$GP_LAB_RECORDER_LOG")" 0 "CONNECT, echo redirects: the redirect's target received nothing"
probe --ca squid-basic "$GP_LAB_ECHO_RECORDER"
expect "CONNECT, the recorder as echo" ok '"198.51.100.66"'
unlike "$(cat "$GP_LAB_RECORDER_LOG")" '[Pp]roxy-[Aa]uthorization' \
  "CONNECT: no Proxy-Authorization header inside the tunnel"
diag "recorder received $(grep -c '^GET' "$GP_LAB_RECORDER_LOG") request(s)"

# --- the echo answer must be an IP address -------------------------------------------------

probe --human privoxy "$GP_LAB_ECHO_BADIP"
expect "echo answers fe80::1% + escapes + bad UTF-8" target-error
probe --ca --human privoxy "$GP_LAB_ECHO_BADIPS"
expect "CONNECT, echo answers fe80::1% + escapes + bad UTF-8" target-error
probe privoxy "$GP_LAB_ECHO_ZONEIP"
expect "echo answers fe80::1%eth0" ok '"fe80::1%eth0"'
probe --ca privoxy "$GP_LAB_ECHO_ZONEIPS"
expect "CONNECT, echo answers fe80::1%eth0" ok '"fe80::1%eth0"'

# --- a password changed at the proxy (Apache rereads its files) ---------------------------

htpasswd_saved=$(cat "$GP_LAB_APACHE_HTPASSWD")
htdigest_saved=$(cat "$GP_LAB_APACHE_HTDIGEST")
add apache-basic-change "$GP_LAB_APACHE_BASIC" "$U" "$P"
add apache-digest-change "$GP_LAB_APACHE_DIGEST" "$U" "$P"
for path in http connect; do
  if [ "$path" = http ]; then ca=() echo=$echo_http p=; else ca=(--ca) echo=$echo_https p="CONNECT, "; fi
  printf '%s\n' "$htpasswd_saved" >"$GP_LAB_APACHE_HTPASSWD"
  printf '%s\n' "$htdigest_saved" >"$GP_LAB_APACHE_HTDIGEST"
  probe "${ca[@]}" apache-basic-change "$echo"
  expect "${p}apache basic, before the password change" ok '"127.0.0.1"'
  probe "${ca[@]}" apache-digest-change "$echo"
  expect "${p}apache digest, before the password change" ok '"127.0.0.1"'
  htpasswd -bB "$GP_LAB_APACHE_HTPASSWD" "$U" "$changed" >/dev/null 2>&1
  printf '%s:%s:%s\n' "$U" "Gatepass Apache Digest" \
    "$(printf '%s' "$U:Gatepass Apache Digest:$changed" | md5sum | cut -d' ' -f1)" >"$GP_LAB_APACHE_HTDIGEST"
  is "$(code -x "$GP_LAB_APACHE_BASIC" -U "$U:$changed" "$echo_http")" 200 "${p}lab: Apache takes the new password at once"
  probe "${ca[@]}" apache-basic-change "$echo"
  expect "${p}apache basic, after the password changed at the proxy" auth-rejected
  probe "${ca[@]}" apache-digest-change "$echo"
  expect "${p}apache digest, after the password changed at the proxy" auth-rejected
done
printf '%s\n' "$htpasswd_saved" >"$GP_LAB_APACHE_HTPASSWD"
printf '%s\n' "$htdigest_saved" >"$GP_LAB_APACHE_HTDIGEST"

# --- a short (5-character) password in an error detail -----------------------------------

probe --human short-closed "$echo_http"
expect "socks5 to a closed port, 5-character password" unreachable

# --- every output ----------------------------------------------------------------------------

# JSON: valid UTF-8, parses, and no string (key or value) holds a control
# character (C0, DEL, C1: ESC and U+009B among them).
json_problems=$(python3 - "$work/json" <<'EOF'
import json, os, sys
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)
bad = lambda s: [c for c in s if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f]
n = 0
for name in sorted(os.listdir(sys.argv[1]), key=int):
    raw = open(os.path.join(sys.argv[1], name), "rb").read()
    if not raw.strip():
        print("%s: empty output" % name)
        continue
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print("%s: %s" % (name, e))
        continue
    n += 1
    for s in strings(doc):
        if bad(s):
            print("%s: control characters in %r" % (name, s[:120]))
print("checked %d" % n)
EOF
)
checked=$(printf '%s\n' "$json_problems" | grep '^checked ')
ok "JSON outputs checked: ${checked#checked }" test "${checked#checked }" -ge 70
is "$(printf '%s\n' "$json_problems" | grep -v '^checked ')" "" \
   "every --json output is valid UTF-8 JSON without control characters in its strings"

# Human output and stderr: valid UTF-8; no control character but newline
# and tab.
human_problems=$(python3 - "$work/human" <<'EOF'
import os, sys
for name in sorted(os.listdir(sys.argv[1])):
    raw = open(os.path.join(sys.argv[1], name), "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("%s: %s" % (name, e))
        continue
    for line in text.split("\n"):
        if any((ord(c) < 0x20 and c != "\t") or 0x7f <= ord(c) <= 0x9f for c in line):
            print("%s: %r" % (name, line[:120]))
            break
EOF
)
is "$human_problems" "" "every human output and stderr is valid UTF-8 without control characters"
ok "human outputs checked: $(ls "$work/human" | wc -l)" test "$(ls "$work/human" | wc -l)" -ge 25

state=$XDG_STATE_HOME/gatepass
results_problems=$(python3 - "$state/results" <<'EOF'
import json, os, sys
d = sys.argv[1]
if not os.path.isdir(d):
    print("no results directory %s" % d)
    sys.exit()
for name in sorted(os.listdir(d)):
    if name == ".lock":   # the batch writers' lock, empty
        continue
    raw = open(os.path.join(d, name), "rb").read()
    try:
        text = raw.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, ValueError) as e:
        print("%s: %s" % (name, e))
        continue
    if any(ord(c) < 0x20 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f for c in text) or "\\u001b" in text.lower() \
       or "\\u009b" in text.lower():
        print("%s: control characters" % name)
EOF
)
is "$results_problems" "" "every result file is valid UTF-8 JSON without control characters"

# No form of any lab password anywhere.
leaks() {
  local where=$1 pw user form
  for pw in "${passwords[@]}"; do
    local forms=("$pw"
      "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""), end="")' "$pw")"
      "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]), end="")' "$pw")"
      "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]), end="")' "$pw")")
    for user in "${users[@]}"; do
      forms+=("$(printf '%s' "$user:$pw" | base64 -w0)")
    done
    for form in "${forms[@]}"; do
      grep -rqF -- "$form" "$where" 2>/dev/null && echo "found: $form"
    done
  done
}
is "$(leaks "$work/all-output")" "" "no password in any stdout or stderr (plain, percent-encoded, Base64)"
is "$(leaks "$state")" "" "no password in the result files"
is "$(leaks "$GP_LAB_RECORDER_LOG")" "" "no password at the redirect's target"
ok "the leak check sees the outputs ($(grep -c '' "$work/all-output") lines)" grep -q 127.0.0.4 "$work/all-output"

is "$(printf '%s\n' "${slow[@]}")" "" "every case finished within --timeout + 3 s ($limit_ms ms)"

done_testing
