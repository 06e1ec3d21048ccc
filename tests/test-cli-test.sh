# SPDX-License-Identifier: GPL-3.0-or-later
#
# `gatepass --headless test` end to end, against the real proxies of
# tests/proxy-lab.sh: the verdicts, statuses, challenges, exit addresses and
# advice of the contract (CLI.md, "test results"), through plain HTTP and
# through CONNECT, through an https:// and a socks5:// proxy, --all, exit
# statuses, the human output, a locked keyring, the recorded results, and
# that no password ever shows.
#
# Runs as `keyring-session.sh proxy-lab.sh bash test-cli-test.sh`.

here=${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}
. "$here/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"
: "${GP_LAB_BASIC:?run this under tests/proxy-lab.sh}"

with_ca=$here/with-lab-ca.sh
work=$GATEPASS_TEST_TMPDIR/cli-test
mkdir -p "$work"
: >"$work/all-output"

wrong_password='wrong p@ss:w/rd #?% 2'
passwords=("$GP_LAB_PASSWORD" "$GP_LAB_UTF8_PASSWORD" "$wrong_password")
echo_http=$GP_LAB_ECHO_HTTP/
echo_https=$GP_LAB_ECHO_HTTPS/
contract_fields='["profile", "verdict", "status", "challenges", "exit_ip", "elapsed_ms", "advice"]'

# json_get JSON PYTHON-EXPRESSION: evaluates the expression on the parsed `j`.
json_get() {
  python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2]), ensure_ascii=False))' \
    "$1" "$2" 2>/dev/null || echo '<invalid JSON>'
}

# run [--ca] ARGS...: `gatepass --headless ARGS` (under with-lab-ca.sh with
# --ca) with stdin from /dev/null; a hang becomes 124 after 60 s. Sets OUT,
# ERR, RC and MS (wall time in milliseconds). Keeps every output for the
# leak checks at the end.
run() {
  local prefix=() start end
  if [ "$1" = --ca ]; then
    prefix=("$with_ca")
    shift
  fi
  start=$(date +%s%N)
  timeout 60 "${prefix[@]}" "$GATEPASS" --headless "$@" </dev/null >"$work/out" 2>"$work/err"
  RC=$?
  end=$(date +%s%N)
  MS=$(( (end - start) / 1000000 ))
  OUT=$(cat "$work/out")
  ERR=$(cat "$work/err")
  { printf '== %s\n' "$*"; cat "$work/out" "$work/err"; } >>"$work/all-output"
  case " $* " in
    *" --json "*) runs=$((runs + 1)); cp "$work/out" "$work/json/$runs.json" ;;
  esac
}
runs=0
mkdir -p "$work/json"

. "$here/lab-add.sh"

# probe [--ca] NAME ECHO [TIMEOUT]: tests one profile as JSON; sets R to
# its one object (and OUT, ERR, RC, MS as run does).
probe() {
  local ca=()
  if [ "$1" = --ca ]; then
    ca=(--ca)
    shift
  fi
  run "${ca[@]}" test "$1" --json --ip-echo "$2" --timeout "${3:-5}"
  R=$(json_get "$OUT" 'j[0] if isinstance(j, list) and len(j) == 1 else "not one object"')
  [ -n "${SHOW_RESULTS:-}" ] && diag "$1: $R"
}

# field NAME: the JSON value of field NAME of R.
field() { json_get "$R" "j.get(\"$1\", \"<missing>\")"; }

# expect DESC VERDICT STATUS EXIT_IP EXIT_CODE: checks the last probe.
# STATUS is a regular expression (407, null, 407|null).
expect() {
  is "$(field verdict)" "\"$2\"" "$1: verdict $2"
  [ "$(field verdict)" = "\"$2\"" ] || diag "advice: $(field advice)" "stderr: $ERR"
  like "$(field status)" "^($3)\$" "$1: status $3"
  is "$(field exit_ip)" "$4" "$1: exit_ip $4"
  is "$RC" "$5" "$1: exit status $5"
}

# scheme_list: the schemes of R's challenges, as JSON.
scheme_list() { json_get "$R" '[c.get("scheme") for c in j["challenges"]]'; }

# --- the profiles, in profile order ------------------------------------------------

U=$GP_LAB_USER
P=$GP_LAB_PASSWORD
add basic-none   "$GP_LAB_BASIC"
add basic-wrong  "$GP_LAB_BASIC" "$U" "$wrong_password"
add basic-ok     "$GP_LAB_BASIC" "$U" "$P"
add basic-utf8   "$GP_LAB_BASIC" "$GP_LAB_UTF8_USER" "$GP_LAB_UTF8_PASSWORD"
add digest-none  "$GP_LAB_DIGEST"
add digest-wrong "$GP_LAB_DIGEST" "$U" "$wrong_password"
add digest-ok    "$GP_LAB_DIGEST" "$U" "$P"
add ntlm-ok      "$GP_LAB_NTLM" "$U" "$P"
add open         "$GP_LAB_OPEN"
add deny         "$GP_LAB_DENY"
add deny-auth    "$GP_LAB_DENY" "$U" "$P"
add closed       "$GP_LAB_CLOSED" "$U" "$P"
add hang         "$GP_LAB_HANG" "$U" "$P"
add negotiate    "$GP_LAB_NEGOTIATE" "$U" "$P"
add https-ok     "$GP_LAB_HTTPS_PROXY" "$U" "$P"
add https-wrong  "$GP_LAB_HTTPS_PROXY" "$U" "$wrong_password"
add socks-ok     "$GP_LAB_SOCKS" "$U" "$P"
add socks-wrong  "$GP_LAB_SOCKS" "$U" "$wrong_password"

# --- Basic ------------------------------------------------------------------------

probe basic-none "$echo_http"
expect "basic, no credentials" auth-required 407 null 1
is "$(json_get "$R" '[(c["scheme"], c["realm"], c["params"]) for c in j["challenges"]]')" \
   '[["Basic", "Gatepass Basic", {"realm": "Gatepass Basic"}]]' \
   "basic, no credentials: the one challenge is Basic, realm \"Gatepass Basic\""
like "$(field advice)" '[A-Za-z]{4}' "basic, no credentials: there is advice"
is "$(field action)" '"edit-credentials"' "basic, no credentials: the action is to give it credentials"
unlike "$(field advice)" 'gatepass|--' "basic, no credentials: the advice names no command line"

probe basic-wrong "$echo_http"
expect "basic, wrong password" auth-rejected 407 null 1
is "$(scheme_list)" '["Basic"]' "basic, wrong password: the Basic challenge is listed"

probe basic-ok "$echo_http"
expect "basic, right password" ok 200 '"127.0.0.2"' 0
is "$(json_get "$R" '[(c["scheme"], c["realm"]) for c in j["challenges"]]')" '[["Basic", "Gatepass Basic"]]' \
   "basic, right password: the challenge that preceded the retry is still listed"
like "$(field elapsed_ms)" '^[0-9]+$' "basic, right password: elapsed_ms is a whole number"

probe basic-utf8 "$echo_http"
expect "basic, UTF-8 user and password" ok 200 '"127.0.0.2"' 0

# The echo service's other shapes: JSON with "ip", httpbin's "origin".
probe basic-ok "$GP_LAB_ECHO_HTTP/json"
expect "basic, JSON echo {\"ip\": ...}" ok 200 '"127.0.0.2"' 0
probe basic-ok "$GP_LAB_ECHO_HTTP/origin"
expect "basic, JSON echo {\"origin\": \"A, B\"}" ok 200 '"127.0.0.2"' 0

# --- Digest -----------------------------------------------------------------------

probe digest-none "$echo_http"
expect "digest, no credentials" auth-required 407 null 1
is "$(json_get "$R" '[(c["scheme"], c["realm"], c["params"].get("realm")) for c in j["challenges"]]')" \
   '[["Digest", "Gatepass Digest", "Gatepass Digest"]]' "digest: one Digest challenge, realm \"Gatepass Digest\""
like "$(json_get "$R" 'j["challenges"][0]["params"].get("nonce")')" '^"[^"]{8,}"$' "digest: the nonce param is there"
like "$(json_get "$R" 'j["challenges"][0]["params"].get("qop")')" '^"auth' "digest: qop offers auth"
unlike "$(json_get "$R" 'list(j["challenges"][0]["params"])')" '[A-Z]' "digest: param names are lower case"

probe digest-wrong "$echo_http"
expect "digest, wrong password" auth-rejected 407 null 1

probe digest-ok "$echo_http"
expect "digest, right password" ok 200 '"127.0.0.2"' 0
is "$(scheme_list)" '["Digest"]' "digest, right password: the Digest challenge is listed"

# --- NTLM (squid's ntlm_fake_auth, then Basic) -----------------------------------

probe ntlm-ok "$echo_http"
expect "ntlm + basic" ok 200 '"127.0.0.2"' 0
is "$(scheme_list)" '["NTLM", "Basic"]' "ntlm + basic: both challenges, in the proxy's order"
is "$(json_get "$R" 'j["challenges"][1]["realm"]')" '"Gatepass Basic"' "ntlm + basic: Basic's realm"

# --- no auth, policy, unreachable, silence, Negotiate ------------------------------

probe open "$echo_http"
expect "open proxy" ok 200 '"127.0.0.2"' 0
is "$(field challenges)" '[]' "open proxy: no challenges"

probe deny "$echo_http"
expect "deny all" forbidden 403 null 1

probe deny-auth "$echo_http"
expect "deny all, with credentials" forbidden 403 null 1

probe closed "$echo_http"
expect "closed port" unreachable null null 1
is "$(field challenges)" '[]' "closed port: no challenges"
like "$MS" '^[0-9]+$' "closed port: answered"
ok "closed port: answered at once (${MS} ms)" test "$MS" -lt 5000

probe hang "$echo_http" 3
expect "silent proxy" timeout null null 1
ok "silent proxy: returned within the timeout + 3 s (${MS} ms)" test "$MS" -le 6000
ok "silent proxy: waited for the timeout (${MS} ms)" test "$MS" -ge 2800
like "$(field elapsed_ms)" '^[0-9]+$' "silent proxy: elapsed_ms is a number"
is "$(field action)" '"allow-more-time"' "silent proxy: the action is to allow more time"
unlike "$(field advice)" '--timeout' "silent proxy: the advice names no option"

probe negotiate "$echo_http"
expect "negotiate only" scheme-unsupported 407 null 1
is "$(scheme_list)" '["Negotiate"]' "negotiate only: the Negotiate challenge is listed"
like "$(field advice)" 'Kerberos' "negotiate only: the advice mentions Kerberos"

# --- through CONNECT: the HTTPS echo server (GIO trusts the lab CA) -------------------

probe --ca basic-none "$echo_https"
expect "CONNECT, basic, no credentials" auth-required 407 null 1
is "$(json_get "$R" '[(c["scheme"], c["realm"]) for c in j["challenges"]]')" '[["Basic", "Gatepass Basic"]]' \
   "CONNECT, basic, no credentials: the tunnel's Basic challenge is listed"

probe --ca basic-wrong "$echo_https"
expect "CONNECT, basic, wrong password" auth-rejected 407 null 1
is "$(scheme_list)" '["Basic"]' "CONNECT, basic, wrong password: the challenge is listed"

probe --ca basic-ok "$echo_https"
expect "CONNECT, basic, right password" ok 200 '"127.0.0.2"' 0
is "$(scheme_list)" '["Basic"]' "CONNECT, basic, right password: the challenge is still listed"

probe --ca basic-utf8 "$echo_https"
expect "CONNECT, basic, UTF-8" ok 200 '"127.0.0.2"' 0

probe --ca digest-none "$echo_https"
expect "CONNECT, digest, no credentials" auth-required 407 null 1
like "$(json_get "$R" 'j["challenges"][0]["params"].get("nonce")')" '^"[^"]{8,}"$' "CONNECT, digest: the nonce param is there"

probe --ca digest-wrong "$echo_https"
expect "CONNECT, digest, wrong password" auth-rejected 407 null 1

probe --ca digest-ok "$echo_https"
expect "CONNECT, digest, right password" ok 200 '"127.0.0.2"' 0

probe --ca ntlm-ok "$echo_https"
expect "CONNECT, ntlm + basic" ok 200 '"127.0.0.2"' 0
is "$(scheme_list)" '["NTLM", "Basic"]' "CONNECT, ntlm + basic: both challenges"

probe --ca deny-auth "$echo_https"
expect "CONNECT, deny all" forbidden 403 null 1

probe --ca negotiate "$echo_https"
expect "CONNECT, negotiate only" scheme-unsupported 407 null 1
like "$(field advice)" 'Kerberos' "CONNECT, negotiate only: the advice mentions Kerberos"

# Without the lab CA, the target's certificate is not trusted: through the
# tunnel alone that looks like inspection ("probably"); --direct shows the
# same certificate without the proxy, the echo host's own problem.
probe basic-ok "$echo_https"
expect "CONNECT, untrusted target certificate" tls-inspected '200|null' null 1
run test basic-ok --json --direct --ip-echo "$echo_https" --timeout 5
R=$(json_get "$OUT" 'j[0] if isinstance(j, list) and len(j) == 1 else "not one object"')
expect "CONNECT, untrusted target certificate, --direct" tls-error '200|null' null 1

# --- an https:// proxy (stunnel in front of the Basic squid) -------------------------

# GIO speaks to https:// and socks5:// proxies and never shows a 407's
# headers: when the credentials fail, the advice must say why `challenges`
# is empty.
why_empty='challenge|scheme|GIO|never shows|not shown|up front|cannot see|can.t see'

probe --ca https-ok "$echo_http"
expect "https proxy" ok 200 '"127.0.0.2"' 0
is "$(field challenges)" '[]' "https proxy: challenges is []"

probe --ca https-ok "$echo_https"
expect "https proxy, CONNECT" ok 200 '"127.0.0.2"' 0

probe --ca https-wrong "$echo_http"
expect "https proxy, wrong password" auth-rejected '407|null' null 1
is "$(field challenges)" '[]' "https proxy, wrong password: challenges is []"
like "$(field advice)" "$why_empty" "https proxy, wrong password: the advice says why there are no challenges"

probe https-ok "$echo_http"
expect "https proxy, untrusted proxy certificate" tls-error null null 1

# --- a socks5:// proxy (microsocks, exit address 127.0.0.3) -----------------------------

probe socks-ok "$echo_http"
expect "socks5" ok 200 '"127.0.0.3"' 0
is "$(field challenges)" '[]' "socks5: challenges is []"

probe --ca socks-ok "$echo_https"
expect "socks5, TLS target" ok 200 '"127.0.0.3"' 0

probe socks-wrong "$echo_http"
is "$(field verdict)" '"auth-rejected"' "socks5, wrong password: verdict auth-rejected"
diag "socks5, wrong password: status $(field status), advice: $(field advice)"
is "$(field status)" null "socks5, wrong password: status null (no HTTP answer came)"
is "$(field exit_ip)" null "socks5, wrong password: exit_ip null"
is "$(field challenges)" '[]' "socks5, wrong password: challenges is []"
like "$(field advice)" "$why_empty" "socks5, wrong password: the advice says why there are no challenges"
is "$RC" 1 "socks5, wrong password: exit status 1"

# --- the target's own answers ------------------------------------------------------------

probe basic-ok "$GP_LAB_ECHO_HTTP/401"
expect "target answers 401" target-error 401 null 1
probe basic-ok "$GP_LAB_ECHO_HTTP/500"
expect "target answers 500" target-error 500 null 1
probe basic-ok "$GP_LAB_ECHO_HTTP/no-ip"
expect "target answers without an address" target-error 200 null 1

# --- several profiles, --all, exit statuses --------------------------------------------

run test basic-ok digest-ok socks-ok --json --ip-echo "$echo_http" --timeout 5
is "$RC" 0 "three ok profiles: exit status 0"
is "$(json_get "$OUT" '[(r["profile"], r["verdict"]) for r in j]')" \
   '[["basic-ok", "ok"], ["digest-ok", "ok"], ["socks-ok", "ok"]]' "three ok profiles: in the order given"

run test basic-ok basic-wrong --json --ip-echo "$echo_http" --timeout 5
is "$RC" 1 "one ok, one rejected: exit status 1"
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["ok", "auth-rejected"]' "one ok, one rejected: both verdicts"

# --all, in a profiles file of its own. squid keeps one credential state per
# username: while one request of alice's is being checked, a concurrent one
# with another password gets the same answer. So here no two profiles use
# the same username with different passwords on the same squid; the
# rejected ones use a username that no squid knows.
main_config=$XDG_CONFIG_HOME
export XDG_CONFIG_HOME=$GATEPASS_TEST_TMPDIR/config-all
mkdir -p "$XDG_CONFIG_HOME"
expected_map=
# all_case NAME URL USER|- PASSWORD|- VERDICT: adds a profile, notes its verdict.
all_case() {
  if [ "$3" = - ]; then
    add "$1" "$2"
  else
    add "$1" "$2" "$3" "$4"
  fi
  expected_map+=${expected_map:+$'\n'}"$1=$5"
}
all_case basic-none     "$GP_LAB_BASIC"       -                   -                        auth-required
all_case basic-ok       "$GP_LAB_BASIC"       "$U"                "$P"                     ok
all_case basic-utf8     "$GP_LAB_BASIC"       "$GP_LAB_UTF8_USER" "$GP_LAB_UTF8_PASSWORD"  ok
all_case basic-mallory  "$GP_LAB_BASIC"       mallory             "$wrong_password"        auth-rejected
all_case digest-none    "$GP_LAB_DIGEST"      -                   -                        auth-required
all_case digest-ok      "$GP_LAB_DIGEST"      "$U"                "$P"                     ok
all_case digest-mallory "$GP_LAB_DIGEST"      mallory             "$wrong_password"        auth-rejected
all_case ntlm-ok        "$GP_LAB_NTLM"        "$U"                "$P"                     ok
all_case open           "$GP_LAB_OPEN"        -                   -                        ok
all_case deny           "$GP_LAB_DENY"        -                   -                        forbidden
all_case closed         "$GP_LAB_CLOSED"      "$U"                "$P"                     unreachable
all_case hang           "$GP_LAB_HANG"        "$U"                "$P"                     timeout
all_case hang-2         "$GP_LAB_HANG"        -                   -                        timeout
all_case negotiate      "$GP_LAB_NEGOTIATE"   "$U"                "$P"                     scheme-unsupported
all_case https-ok       "$GP_LAB_HTTPS_PROXY" "$U"                "$P"                     ok
all_case https-mallory  "$GP_LAB_HTTPS_PROXY" mallory             "$wrong_password"        auth-rejected
all_case socks-ok       "$GP_LAB_SOCKS"       "$U"                "$P"                     ok
all_case socks-wrong    "$GP_LAB_SOCKS"       "$U"                "$wrong_password"        auth-rejected

# GATEPASS_TEST_SLOWDOWN (build-aux/sanitize sets 3) scales this case's
# deadline and bound: under ASan, 18 probes at once on two cores, the
# https:// proxy's TLS handshakes did not finish within 3 s.
slow=${GATEPASS_TEST_SLOWDOWN:-1}
run --ca test --all --json --ip-echo "$echo_http" --timeout $(( 3 * slow ))
is "$RC" 1 "--all: exit status 1 (not all ok)"
got_map=$(python3 -c 'import json, sys
for r in json.loads(sys.argv[1]):
    print("%s=%s" % (r["profile"], r["verdict"]))' "$OUT" 2>&1)
is "$got_map" "$expected_map" "--all: every profile, in profile order, with its verdict"
# Two silent proxies with a 3 s timeout each: one after the other would
# take 6 s.
ok "--all: profiles are tested concurrently (${MS} ms)" test "$MS" -lt $(( 5500 * slow ))
is "$(json_get "$OUT" '[r["exit_ip"] for r in j if r["verdict"] == "ok"]')" \
   '["127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.3"]' \
   "--all: the exit addresses of the ok ones"

# Everything ok: exit status 0.
run --ca test basic-ok digest-ok ntlm-ok open https-ok socks-ok --json --ip-echo "$echo_http" --timeout 5
is "$RC" 0 "six ok profiles at once: exit status 0"
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["ok", "ok", "ok", "ok", "ok", "ok"]' \
   "six ok profiles at once: all ok"

export XDG_CONFIG_HOME=$main_config

# Digest with UTF-8 credentials: valid (curl gets through), so Gatepass
# must get through too.
add digest-utf8 "$GP_LAB_DIGEST" "$GP_LAB_UTF8_USER" "$GP_LAB_UTF8_PASSWORD"
is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -x "$GP_LAB_DIGEST" --proxy-digest \
        -U "$GP_LAB_UTF8_USER:$GP_LAB_UTF8_PASSWORD" "$echo_http")" 200 \
   "digest, UTF-8 user and password: curl gets through"
probe digest-utf8 "$echo_http"
expect "digest, UTF-8 user and password" ok 200 '"127.0.0.2"' 0

# The active profile, without NAME.
gp activate basic-ok </dev/null
run test --json --ip-echo "$echo_http" --timeout 5
is "$(json_get "$OUT" '[(r["profile"], r["verdict"]) for r in j]')" '[["basic-ok", "ok"]]' \
   "no NAME: tests the active profile"
is "$RC" 0 "no NAME: exit status 0"
gp deactivate </dev/null

run test no-such-profile --json --ip-echo "$echo_http" --timeout 5
is "$RC" 4 "unknown profile: exit status 4"
is "$(printf '%s' "$ERR" | grep -c '')" 1 "unknown profile: one line on stderr"
like "$ERR" 'no-such-profile' "unknown profile: the error names it"

for bad in abc -1 0 1.5x ''; do
  run test basic-ok --json --ip-echo "$echo_http" --timeout "$bad"
  is "$RC" 2 "bad --timeout '$bad': exit status 2"
  is "$OUT" "" "bad --timeout '$bad': nothing on stdout"
done

run test basic-ok --json --ip-echo 'not a url' --timeout 5
is "$RC" 2 "bad --ip-echo: exit status 2"

run test basic-ok --no-such-option
is "$RC" 2 "unknown option: exit status 2"

# --- human output ---------------------------------------------------------------------

probe basic-ok "$echo_http"
advice=$(json_get "$R" 'j["advice"]' | python3 -c 'import json, sys; print(json.loads(sys.stdin.read()))')
run test basic-ok --ip-echo "$echo_http" --timeout 5
is "$RC" 0 "human output: exit status 0"
like "$OUT" '(^|[^a-z-])ok([^a-z-]|$)' "human output: shows the verdict"
like "$OUT" '127\.0\.0\.2' "human output: shows the exit address"
ok "human output: shows the advice" grep -qF -- "$advice" "$work/out"
curl_line=$(printf '%s\n' "$OUT" | grep 'curl ')
like "$curl_line" "-U '?alice'?( |$)" "human output: a curl line to reproduce it, with -U alice"
like "$curl_line" "-x '?$GP_LAB_BASIC" "human output: the curl line names the proxy"

unlike "$OUT" 'Next:' "human output, ok: nothing to do next"

# The action of the advice, as this front end words it: a command line.
run test basic-none --ip-echo "$echo_http" --timeout 5
like "$OUT" "Next: +gatepass --headless edit basic-none --username USER --password-stdin\$" \
  "human output, no credentials: the next step is an edit that gives them"
run test hang --ip-echo "$echo_http" --timeout 1
like "$OUT" "Next: +gatepass --headless test hang --timeout 2 --ip-echo $echo_http\$" \
  "human output, timeout: the next step is a test with more time"
timeout 20 "$GATEPASS" --headless add no-pass "$GP_LAB_BASIC" --username "$U" </dev/null >/dev/null 2>&1
probe no-pass "$echo_http"
expect "password profile, none stored" auth-required 407 null 1
is "$(field action)" '"store-password"' "password profile, none stored: the action is to store it"
run test no-pass --ip-echo "$echo_http" --timeout 5
like "$OUT" 'Next: +gatepass --headless set-password no-pass$' \
  "human output, none stored: the next step is set-password"
timeout 20 "$GATEPASS" --headless remove no-pass </dev/null >/dev/null 2>&1

run test basic-wrong --ip-echo "$echo_http" --timeout 5
is "$RC" 1 "human output, wrong password: exit status 1"
like "$OUT" 'auth-rejected' "human output, wrong password: shows the verdict"
like "$OUT" 'Basic' "human output, wrong password: shows the challenge"
like "$OUT" "curl .*-U '?alice'?( |$)" "human output, wrong password: the curl line"

# The reproduction really reproduces: curl's answer to it, with the password
# added interactively (here: from a config on stdin), is the same.
repro="curl ${curl_line#*curl }"
got=$(eval "$repro --config -" <<<"proxy-user = \"alice:$(printf '%s' "$P" | sed 's/["\\]/\\&/g')\"" 2>&1)
is "$got" 200 "human output: the curl line, given the password, gets 200 through the proxy"

# --- the contract's fields, in every object ----------------------------------------------

check=$(python3 - "$work/json" "$contract_fields" <<'EOF'
import json, os, sys
fields = json.loads(sys.argv[2])
verdicts = {"ok", "auth-required", "auth-rejected", "scheme-unsupported", "forbidden",
            "target-error", "unreachable", "timeout", "tls-error", "keyring-error",
            "tls-inspected"}
objects, problems = 0, []
for name in sorted(os.listdir(sys.argv[1])):
    text = open(os.path.join(sys.argv[1], name)).read()
    if not text.strip():
        continue  # a usage error prints nothing
    try:
        doc = json.loads(text)
    except ValueError as e:
        problems.append("%s: not JSON: %s" % (name, e))
        continue
    if not isinstance(doc, list):
        problems.append("%s: not an array" % name)
        continue
    for r in doc:
        objects += 1
        missing = [f for f in fields if f not in r]
        if missing:
            problems.append("%s: missing %s" % (r.get("profile"), missing))
            continue
        if r["verdict"] not in verdicts:
            problems.append("%s: unknown verdict %r" % (r["profile"], r["verdict"]))
        if r["status"] is not None and not isinstance(r["status"], int):
            problems.append("%s: status %r" % (r["profile"], r["status"]))
        if not isinstance(r["challenges"], list):
            problems.append("%s: challenges %r" % (r["profile"], r["challenges"]))
        for c in r["challenges"]:
            if not isinstance(c.get("scheme"), str) or not isinstance(c.get("params"), dict):
                problems.append("%s: challenge %r" % (r["profile"], c))
        if (r["exit_ip"] is None) == (r["verdict"] == "ok"):
            problems.append("%s: exit_ip %r with verdict %s" % (r["profile"], r["exit_ip"], r["verdict"]))
        if not isinstance(r["elapsed_ms"], int) or r["elapsed_ms"] < 0:
            problems.append("%s: elapsed_ms %r" % (r["profile"], r["elapsed_ms"]))
        tls = r.get("tls", "missing")
        if tls is not None and not (isinstance(tls, dict) and isinstance(tls.get("trusted"), bool)
                                    and all(isinstance(tls.get(k), str) for k in ("host", "issuer", "sha256"))):
            problems.append("%s: tls %r" % (r["profile"], tls))
        if not isinstance(r["advice"], str) or len(r["advice"]) < 10:
            problems.append("%s: advice %r" % (r["profile"], r["advice"]))
print(objects)
for p in problems[:10]:
    print(p)
EOF
)
objects=$(printf '%s\n' "$check" | head -n 1)
ok "the contract's fields: $objects objects checked" test "${objects:-0}" -ge 40
is "$(printf '%s\n' "$check" | tail -n +2)" "" "every object has every field of the contract, of the right type"

# --- recorded results -------------------------------------------------------------------

state=$XDG_STATE_HOME/gatepass
wrong_id=$(timeout 20 "$GATEPASS" --headless show basic-wrong --json </dev/null |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)
ok_id=$(timeout 20 "$GATEPASS" --headless show basic-ok --json </dev/null |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)
ok "results are kept under \$XDG_STATE_HOME/gatepass" test -d "$state"
ok "a result file names basic-wrong's id and its verdict auth-rejected" \
  sh -c 'grep -rlF -- "$1" "$3" | xargs -r grep -lF -- "$2" | grep -q .' sh "$wrong_id" auth-rejected "$state"
ok "a result file names basic-ok's id and its verdict ok" \
  sh -c 'grep -rlF -- "$1" "$2" | xargs -r grep -lE -- "\"?ok\"?" | grep -q .' sh "$ok_id" "$state"
diag "state files: $(cd "$state" 2>/dev/null && find . -type f | head -n 5 | tr '\n' ' ')"

# Results that cannot be kept are a warning; the verdicts and the exit
# status stay those of the test, and the old results stay as they were.
results_dir=$state/results
old_result=$(cat "$results_dir/$ok_id.json" 2>/dev/null)
mv "$results_dir" "$results_dir.kept" && printf 'not a folder\n' >"$results_dir"
run test basic-ok basic-wrong --json --ip-echo "$echo_http" --timeout 5
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["ok", "auth-rejected"]' \
  "results that cannot be kept: the verdicts are still given"
is "$RC" 1 "results that cannot be kept: the exit status is the test's"
like "$ERR" "cannot keep the test results" "results that cannot be kept: one warning says so"
rm -f "$results_dir" && mv "$results_dir.kept" "$results_dir"
is "$(cat "$results_dir/$ok_id.json" 2>/dev/null)" "$old_result" "results that cannot be kept: the old result is untouched"

# Each run replaces the result, however often (the batch swaps spare files
# into place: the first, second and third runs take different paths).
saved_verdict() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["result"]["verdict"])' \
    "$results_dir/$1.json" 2>/dev/null || echo '<unreadable>'
}
for round in 1 2 3; do
  run test basic-ok basic-wrong --json --ip-echo "$echo_http" --timeout 5
  is "$(saved_verdict "$ok_id") $(saved_verdict "$wrong_id")" "ok auth-rejected" "round $round: each result file holds its run's verdict"
  run test basic-ok --json --ip-echo "$echo_http/no-ip" --timeout 5
  is "$(saved_verdict "$ok_id")" "target-error" "round $round: a later single test replaces it"
done

# An interrupted test records nothing for what it did not finish: the
# silent proxy's previous result stays; what finished is kept and shown.
hang_id=$(timeout 20 "$GATEPASS" --headless show hang --json </dev/null |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)
run test hang --json --ip-echo "$echo_http" --timeout 1
old_hang=$(cat "$results_dir/$hang_id.json" 2>/dev/null)
old_ok=$(cat "$results_dir/$ok_id.json" 2>/dev/null)
"$GATEPASS" --headless test basic-ok hang --json --ip-echo "$echo_http" --timeout 30 \
  </dev/null >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 50); do
  [ "$(cat "$results_dir/$ok_id.json" 2>/dev/null)" != "$old_ok" ] && break
  [ "$(cat "$work/out")" != "" ] && break
  sleep 0.1
done
sleep 1
start=$(date +%s%N)
kill -INT "$pid"
wait "$pid"
RC=$?
MS=$(( ($(date +%s%N) - start) / 1000000 ))
OUT=$(cat "$work/out") ERR=$(cat "$work/err")
is "$RC" 1 "interrupted test: exit status 1"
ok "interrupted test: stops at once (${MS} ms)" test "$MS" -lt 3000
like "$ERR" 'interrupted; 1 of 2 profiles were not tested' "interrupted test: says what was not tested"
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["ok"]' "interrupted test: prints what finished"
is "$(cat "$results_dir/$hang_id.json" 2>/dev/null)" "$old_hang" \
  "interrupted test: the unfinished profile keeps its previous result"
is "$(saved_verdict "$hang_id")" timeout "interrupted test: which was a timeout, not unreachable"
ok "interrupted test: the finished profile's result is kept" \
  test "$(cat "$results_dir/$ok_id.json" 2>/dev/null)" != "$old_ok"

# --- a locked keyring: keyring-error, exit status 1 (last: it stays locked) --------------

collection=$(gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.ReadAlias default | grep -o "/org/freedesktop/secrets/collection/[A-Za-z0-9_]*")
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['$collection']" >/dev/null
like "$(gdbus call --session --dest org.freedesktop.secrets --object-path "$collection" \
  --method org.freedesktop.DBus.Properties.Get org.freedesktop.Secret.Collection Locked 2>&1)" true \
  "locked: the login keyring is locked"

probe basic-ok "$echo_http"
expect "locked keyring" keyring-error null null 1
is "$(field challenges)" '[]' "locked keyring: no challenges (the proxy was not asked)"
like "$(field advice)" '[Kk]eyring|[Ll]ocked|[Uu]nlock' "locked keyring: the advice is about the keyring"
ok "locked keyring: no prompt, answered at once (${MS} ms)" test "$MS" -lt 5000

probe basic-none "$echo_http"
expect "locked keyring, profile without credentials" auth-required 407 null 1

run test basic-ok basic-none socks-ok --json --ip-echo "$echo_http" --timeout 5
is "$(json_get "$OUT" '[r["verdict"] for r in j]')" '["keyring-error", "auth-required", "keyring-error"]' \
  "locked keyring: each profile gets its own verdict"
is "$RC" 1 "locked keyring: several profiles, exit status 1"

# --- no password anywhere ---------------------------------------------------------------

leaks() {
  local file=$1 pw forms
  for pw in "${passwords[@]}"; do
    forms=("$pw"
           "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""), end="")' "$pw")"
           "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]), end="")' "$pw")"
           "$(printf '%s' "alice:$pw" | base64 -w0)"
           "$(printf '%s' "$GP_LAB_UTF8_USER:$pw" | base64 -w0)")
    for form in "${forms[@]}"; do
      grep -rqF -- "$form" "$file" && echo "found: $form"
    done
  done
}
is "$(leaks "$work/all-output")" "" "no password in any stdout or stderr (raw, percent-encoded, Base64)"
is "$(leaks "$state")" "" "no password in the recorded results"
ok "the leak check sees the outputs ($(grep -c '' "$work/all-output") lines)" \
  grep -q 127.0.0.2 "$work/all-output"

done_testing
