#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The headless contract (shared/CLI.md), driven as scripts drive it, with a
# real keyring on a private bus (run by keyring-session.sh).
. "$GATEPASS_TESTS_SRCDIR/tap.sh"

profiles="$XDG_CONFIG_HOME/gatepass/profiles.ini"

# json_get JSON PYTHON-EXPRESSION: evaluates the expression on the parsed `j`.
json_get() {
  python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2])))' "$1" "$2"
}

keyring_items() {
  secret-tool search --all xdg:schema io.github.gatepass.Profile 2>&1 | grep -c '^attribute.profile' || true
}

# --- no profiles yet: test --all -------------------------------------------

gp test --all --json
is "$RC" 0 "test --all --json without profiles succeeds"
is "$(json_get "$OUT" 'j')" '[]' "test --all --json without profiles prints []"
gp test --all
is "$OUT" "" "test --all without profiles prints nothing"

# --- add, list, show -------------------------------------------------------

gp add office proxy.corp.example:3128 --username alice --no-proxy 'localhost, *.corp.example ,localhost' \
   --password-stdin < <(printf '%s\n' 'p@ss:w/rd #?%')
is "$RC" 0 "add with --password-stdin succeeds"
is "$OUT" "" "add prints nothing on success"

gp add home 'SOCKS5H://[2001:DB8::1]:1080/' --auth ip </dev/null
is "$RC" 0 "add a socks5h profile with a bracketed IPv6 host"

gp list
is "$OUT" "$(printf '  office  http://proxy.corp.example:3128\n  home    socks5h://[2001:db8::1]:1080')" \
   "list prints one line per profile in order, URLs canonical"

gp show office --json
is "$RC" 0 "show --json succeeds"
is "$(json_get "$OUT" '[j["name"], j["url"], j["https_proxy"], j["no_proxy"], j["username"], j["auth"], j["active"], j["has_password"]]')" \
   '["office", "http://proxy.corp.example:3128", null, ["localhost", ".corp.example"], "alice", "password", false, true]' \
   "show --json has every field, no-proxy normalised"
office_id=$(json_get "$OUT" 'j["id"]' | tr -d '"')
like "$office_id" '^[0-9a-f-]{36}$' "profiles get a stable id"

gp list --json
is "$(json_get "$OUT" '[(p["name"], p["auth"], p["has_password"]) for p in j]')" \
   '[["office", "password", true], ["home", "ip", false]]' "list --json is an array in profile order"

gp show home
like "$OUT" 'Auth: +ip' "human show names the auth mode"

# --- export ----------------------------------------------------------------

gp export office
is "$RC" 0 "export succeeds"
like "$OUT" "^export http_proxy='http://alice:p%40ss%3Aw%2Frd%20%23%3F%25@proxy.corp.example:3128'" \
   "export percent-encodes the password exactly as the contract says"
is "$(printf '%s\n' "$OUT" | grep -c '^export ')" 6 "export sets http, https and no_proxy in both cases"
like "$OUT" "unset all_proxy ALL_PROXY" "export unsets all_proxy for an HTTP profile"

gp export
is "$OUT" "unset http_proxy https_proxy no_proxy all_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY" \
   "export without an active profile unsets the variables"
gp export --format json
is "$(json_get "$OUT" 'j')" '{}' "export --format json without an active profile prints {}"
gp export --format environment.d
is "$OUT" "" "export --format environment.d without an active profile prints nothing"

gp activate office
is "$RC" 0 "activate succeeds"
gp list
like "$OUT" '^\* office' "list marks the active profile"
gp export --format json
is "$(json_get "$OUT" 'sorted(j)')" '["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"]' \
   "export uses the active profile"
is "$(json_get "$OUT" 'j["HTTP_PROXY"] == j["http_proxy"] and j["NO_PROXY"] == "localhost,.corp.example"')" true \
   "upper and lower case values are identical"

gp export home --format fish
like "$OUT" "set -gx all_proxy 'socks5h://\[2001:db8::1\]:1080'" "socks profiles also set all_proxy"
like "$OUT" "set -gx https_proxy 'socks5h://" "https_proxy carries the socks URL too"
unlike "$OUT" "@" "an ip-allowlisted profile exports no credentials"

gp export office --format csh
like "$OUT" "^setenv http_proxy 'http://alice:" "csh format"
gp export office --format environment.d
like "$OUT" "^http_proxy=http://alice:p%40ss" "environment.d format"
gp export office --format yaml
is "$RC" 2 "an unknown format is a usage error"

# Debug output goes to stderr only.
G_MESSAGES_DEBUG=all gp export office
is "$(printf '%s\n' "$OUT" | grep -cvE '^(export|unset) ')" 0 "G_MESSAGES_DEBUG=all leaves export's stdout clean"

# --- what must never leak --------------------------------------------------

ok "profiles.ini never holds the password" not grep -q 'p@ss' "$profiles"
is "$(stat -c %a "$profiles")" 600 "profiles.ini is mode 0600"
gp list --json
unlike "$OUT$ERR" 'p@ss|p%40ss' "list --json never prints the password"
gp show office
unlike "$OUT$ERR" 'p@ss|p%40ss' "show never prints the password"

# --- input validation ------------------------------------------------------

gp add "bad1" 'http://alice:s3cr3t@proxy:3128' </dev/null
is "$RC" 2 "a URL with a password is refused"
unlike "$ERR" 's3cr3t' "the refused URL's password is not repeated"
like "$ERR" "--username .*--password-stdin" "the command line's way to give them is named"
is "$(printf '%s\n' "$ERR" | wc -l)" 1 "one line on stderr"
gp add "bad2" 'http://proxy.example' </dev/null
is "$RC" 2 "a URL without a port is refused"
like "$ERR" 'port' "the error says the port is missing"
gp add "bad3" 'http://proxy:3128/path' </dev/null
is "$RC" 2 "a URL with a path is refused"
gp add "bad4" 'ftp://proxy:21' </dev/null
is "$RC" 2 "an unknown scheme is refused"
gp add "office" 'http://other:1' </dev/null
is "$RC" 2 "a duplicate name is refused"
gp add "$(printf 'x%.0s' $(seq 65))" 'http://p:1' </dev/null
is "$RC" 2 "a 65-character name is refused"
gp add "$(printf 'é%.0s' $(seq 64))" 'http://p:1' </dev/null
is "$RC" 0 "a 64-character UTF-8 name is accepted"
gp add "$(printf 'tab\there')" 'http://p:1' </dev/null
is "$RC" 2 "a name with a control character is refused"
gp add -- "-dash" 'http://p:1' </dev/null
is "$RC" 2 "a name starting with - is refused"
gp add colon http://p:1 --username 'a:b' </dev/null
is "$RC" 2 "a username with : is refused for http"
gp add colon socks5://p:1 --username 'a:b' --password-stdin <<<'pw'
is "$RC" 0 "a username with : is accepted for socks5"
# A read that fails (stdin is a directory) is a failure, not invalid input.
gp add unreadable http://p:1 --username u --password-stdin < /
is "$RC" 1 "a password that cannot be read from stdin is exit 1"
like "$ERR" "Cannot read the password from standard input" "... and the error says so"
gp list
unlike "$OUT" "unreadable" "... and no profile was added"
gp add nouser http://p:1 --password-stdin <<<'pw'
is "$RC" 2 "--password-stdin without a username is refused"
gp add needuser http://p:1 --auth password </dev/null
is "$RC" 2 "--auth password without a username is refused"
gp add badauth http://p:1 --auth kerberos </dev/null
is "$RC" 2 "an unknown --auth is refused"

for case in 'tab:a\tb' 'newline:a\nb\n' 'cr:a\rb' 'del:a\177b' 'nul:a\000b' 'empty:' 'emptyline:\n' \
            'invalid-utf8:a\377b' 'two-newlines:pw\n\n'; do
  label=${case%%:*}
  gp add "pw-$label" http://p:1 --username u --password-stdin < <(printf "${case#*:}")
  is "$RC" 2 "a password with $label is refused"
done
gp list
unlike "$OUT" 'pw-' "refused adds saved nothing"

# Every byte but one trailing newline is kept.
gp add spaces http://p:1 --username ' u ' --password-stdin < <(printf ' a"b$c`d\\e \r\n')
is "$RC" 0 "spaces, quotes and backslashes are kept"
gp export spaces --format json
is "$(json_get "$OUT" 'j["http_proxy"]')" '"http://%20u%20:%20a%22b%24c%60d%5Ce%20@p:1"' \
   "only the trailing CR LF is dropped"

# --- set-password, exit 5 --------------------------------------------------

gp add later http://p:1 --username bob </dev/null
is "$RC" 0 "a password profile can be added without its password"
like "$ERR" 'set-password' "and a warning says how to store it"
gp export later
is "$RC" 5 "export of a profile without its password exits 5"
is "$OUT" "" "and prints nothing on stdout"
gp set-password later < <(printf 'üñí©ødé\n')
is "$RC" 0 "set-password reads standard input"
like "$ERR" 'non-ASCII' "a non-ASCII password is warned about"
gp export later --format json
is "$(json_get "$OUT" 'j["http_proxy"]')" '"http://bob:%C3%BC%C3%B1%C3%AD%C2%A9%C3%B8d%C3%A9@p:1"' \
   "UTF-8 is encoded byte by byte"
gp set-password home </dev/null
is "$RC" 2 "set-password on an ip profile is refused"
gp set-password nosuch </dev/null
is "$RC" 4 "set-password on a missing profile exits 4"

# On a terminal: a prompt without echo, asked twice.
tty_out=$(python3 - "$GATEPASS" <<'PY'
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--headless", "set-password", "later"])
seen = b""
def wait_for(text):
    global seen
    deadline = time.time() + 10
    while text not in seen and time.time() < deadline:
        try:
            seen += os.read(fd, 1024)
        except OSError:
            break
wait_for(b"Password for")
os.write(fd, b"typed-secret\n")
wait_for(b"again")
os.write(fd, b"typed-secret\n")
wait_for(b"\xff")  # read to the end
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status), repr(seen.decode(errors="replace")))
PY
)
like "$tty_out" '^0 ' "set-password on a terminal succeeds"
unlike "$tty_out" 'typed-secret' "the typed password is not echoed"
gp export later --format json
is "$(json_get "$OUT" 'j["http_proxy"]')" '"http://bob:typed-secret@p:1"' "the typed password is stored"

# --- edit ------------------------------------------------------------------

gp edit office --rename work --no-proxy '' --https-proxy https://secure.example:8443
is "$RC" 0 "edit renames and changes fields"
gp show work --json
is "$(json_get "$OUT" '[j["id"], j["https_proxy"], j["no_proxy"], j["active"]]')" \
   "[\"$office_id\", \"https://secure.example:8443\", [], true]" "the id and active state survive a rename"
gp export --format json
is "$(json_get "$OUT" 'j["https_proxy"]')" '"https://alice:p%40ss%3Aw%2Frd%20%23%3F%25@secure.example:8443"' \
   "the separate HTTPS proxy gets the same credentials"
gp edit work --rename home
is "$RC" 2 "renaming onto another profile is refused"

gp edit work --username carol
is "$RC" 0 "edit --username"
gp export work --format json
like "$(json_get "$OUT" 'j["http_proxy"]')" '^"http://carol:p%40ss' "the password moved to the new username"
is "$(secret-tool search --all profile "$office_id" 2>&1 | grep -c '^attribute.username = ')" 1 \
   "no item is left under the old username"

gp edit work --auth ip
is "$RC" 0 "edit --auth ip"
is "$(secret-tool search --all profile "$office_id" 2>&1 | grep -c '^attribute.profile')" 0 \
   "edit --auth ip deletes the keyring item"
gp edit work --auth password --password-stdin <<<'new-pw'
is "$RC" 0 "edit --auth password --password-stdin"
gp export work --format json
like "$(json_get "$OUT" 'j["http_proxy"]')" '^"http://carol:new-pw@' "the new password is exported"
gp edit nosuch --url http://p:1
is "$RC" 4 "editing a missing profile exits 4"
gp edit work --url http://p
is "$RC" 2 "edit validates the URL"

# --- remove, activate ------------------------------------------------------

before=$(keyring_items)
gp remove work
is "$RC" 0 "remove succeeds"
is "$(keyring_items)" "$((before - 1))" "remove deletes the keyring item"
gp export
like "$OUT" '^unset ' "removing the active profile deactivates it"
gp remove work
is "$RC" 4 "removing a missing profile exits 4"
gp activate nosuch
is "$RC" 4 "activating a missing profile exits 4"
gp activate home
gp deactivate
gp list
unlike "$OUT" '^\*' "deactivate leaves no profile active"

# --- files: corrupt, unknown keys -----------------------------------------

printf '# kept comment\n[profile custom-1]\nname=hand\nurl=http://hand:1\nx-future=kept\n[future]\nk=v\n' >> "$profiles"
gp edit hand --url http://hand:2
is "$RC" 0 "a hand-written profile can be edited"
ok "unknown keys survive a save" grep -q '^x-future=kept' "$profiles"
ok "unknown groups survive a save" grep -q '^\[future\]' "$profiles"
ok "comments survive a save" grep -q '^# kept comment' "$profiles"

cp "$profiles" "$GATEPASS_TEST_TMPDIR/good.ini"
printf 'this line is not a key\n' >> "$profiles"
cp "$profiles" "$GATEPASS_TEST_TMPDIR/corrupt.ini"
lines=$(wc -l < "$profiles")
gp add another http://p:1 </dev/null
is "$RC" 2 "a corrupt file is exit 2"
like "$ERR" "profiles.ini:$lines:" "the error names the file and the line"
ok "the corrupt file is left as it was" cmp -s "$profiles" "$GATEPASS_TEST_TMPDIR/corrupt.ini"
gp list
is "$RC" 2 "list also refuses a corrupt file"
cp "$GATEPASS_TEST_TMPDIR/good.ini" "$profiles"
gp list
is "$RC" 0 "the repaired file loads"

# --- warnings about clients that cannot use a profile -----------------------
# (SOCKS schemes as the real clients were seen to treat them against
# microsocks; a recorded result of a proxy without Basic.)

wget_re="wget cannot use a socks5h?:// proxy"
urllib_re="Python's urllib cannot use a socks5h?:// proxy"
requests_re="Python's requests can use a socks5h?:// proxy from the variables only when PySocks"
apt_re="apt cannot use a socks5:// proxy"
go_re="Go's net/http \(1.19, as in Debian 12\) cannot use a socks5h:// proxy"

gp add sock-h socks5h://socks.example:1080 --auth none </dev/null
is "$RC" 0 "add a socks5h profile"
for re in "$wget_re" "$urllib_re" "$requests_re" "$go_re"; do
  like "$ERR" "$re" "add of socks5h:// warns: ${re%% *}"
done
unlike "$ERR" "$apt_re" "apt is not named for socks5h://, which it can use"
is "$(printf '%s\n' "$ERR" | grep -c 'warning: ')" 4 "one line per client"

gp add sock socks5://socks.example:1080 --auth none </dev/null
for re in "$wget_re" "$urllib_re" "$requests_re" "$apt_re"; do
  like "$ERR" "$re" "add of socks5:// warns: ${re%% *}"
done
unlike "$ERR" "Go's net/http" "Go is not named for socks5://, which it can use"

gp add plain-http http://proxy.example:3128 --auth none </dev/null
is "$ERR" "" "add of an http:// profile warns about no client"

gp export sock-h
is "$RC" 0 "export of a socks5h profile succeeds"
like "$ERR" "$go_re" "export warns too"
like "$ERR" "$wget_re" "export names wget"
is "$(printf '%s\n' "$OUT" | grep -cvE '^(export|unset) ')" 0 "the warnings stay off stdout"
gp export plain-http
is "$ERR" "" "export of an http:// profile warns about no client"

gp edit plain-http --https-proxy socks5h://socks.example:1080
like "$ERR" "$go_re" "edit warns when the HTTPS proxy becomes socks5h://"
gp export plain-http
like "$ERR" "$go_re" "export warns about a SOCKS HTTPS proxy beside an http:// URL"
gp edit sock --no-proxy localhost
is "$ERR" "" "an edit that leaves the URLs alone does not repeat the warnings"
gp edit sock --url socks5h://socks.example:1080
like "$ERR" "$go_re" "edit warns when the URL becomes socks5h://"

# A Digest-only proxy as `test` records it: the result file written by hand.
gp add digest-only http://digest.example:3128 --username dora --password-stdin <<<'pw'
gp show digest-only --json
digest_id=$(json_get "$OUT" 'j["id"]' | tr -d '"')
results="$XDG_STATE_HOME/gatepass/results"
mkdir -p "$results"

# write_result TESTED-AT CHALLENGES [VERDICT]: the profile's recorded
# result, whole as `test` writes it (basic_offered follows the challenges).
digest='{ "scheme": "Digest", "realm": "Corp", "params": { "realm": "Corp", "nonce": "abc" } }'
basic='{ "scheme": "Basic", "realm": "Corp", "params": { "realm": "Corp" } }'
write_result() {
  cat > "$results/$digest_id.json" <<EOF
{ "profile_id": "$digest_id", "tested_at": "$1", "credential_modified": null,
  "result": { "profile": "digest-only", "verdict": "${3:-ok}", "status": 200, "challenges": $2,
              "exit_ip": "192.0.2.7", "elapsed_ms": 12, "advice": "…",
              "timings": { "connect_ms": 1, "tls_ms": null, "first_byte_ms": 10 },
              "credentials_sent": true, "direct_ip": null, "location": null,
              "challenges_dropped": false, "basic_offered": null, "action": null, "proxy_401": false,
              "proxy_path": "libsoup", "detail": null, "curl": "curl -x http://digest.example:3128" } }
EOF
}
basic_re='the last test of “digest-only” found that its proxy offers no Basic authentication.*curl --proxy-anyauth'

gp export digest-only
is "$ERR" "" "no recorded result: no Basic warning"
write_result 2026-01-02T03:04:05.000001Z "[$digest]"
gp export digest-only
is "$RC" 0 "export of a profile whose proxy offers no Basic succeeds"
like "$ERR" "$basic_re" "export warns that the proxy offers no Basic, and what works"
is "$(printf '%s\n' "$ERR" | grep -c 'no Basic')" 1 "on one line"
like "$OUT" "^export http_proxy='http://dora:pw@digest.example:3128'" "and still prints the variables"
gp export digest-only
is "$ERR" "" "the second export of the same result does not warn again"
gp export digest-only --format json
is "$ERR" "" "nor does one in another format"
write_result 2026-01-03T03:04:05.000001Z "[$digest]"
gp export digest-only
like "$ERR" "$basic_re" "a new test result warns again"
gp export digest-only
is "$ERR" "" "once"
ok "the result file is left as test wrote it" grep -q '"tested_at": "2026-01-03T03:04:05.000001Z"' \
  "$results/$digest_id.json"
write_result 2026-01-04T03:04:05.000001Z "[$digest, $basic]"
gp export digest-only
is "$ERR" "" "a proxy that offers Basic: no warning"
write_result 2026-01-05T03:04:05.000001Z "[]"
gp export digest-only
is "$ERR" "" "unknown (no challenge seen): no warning"
write_result 2026-01-06T03:04:05.000001Z "[$digest]" splendid
gp export digest-only
is "$RC" 0 "a result with an unknown verdict does not fail export"
is "$ERR" "" "and gives no warning"
write_result 2026-01-07T03:04:05.000001Z '[{ "scheme": 7, "params": {} }]'
gp export digest-only
is "$ERR" "" "nor does one with a challenge of the wrong shape"
printf '{ not json' > "$results/$digest_id.json"
gp export digest-only
is "$RC" 0 "a corrupt result file does not fail export"
is "$ERR" "" "and gives no warning"
# json-glib parses nesting by recursion: 100,000 "[" would overflow its stack.
python3 -c 'import sys; sys.stdout.write("[" * 100000)' > "$results/$digest_id.json"
gp export digest-only
is "$RC" 0 "a result file nested 100,000 deep does not crash export"
like "$OUT" "^export http_proxy=" "and export still prints the variables"
python3 -c 'import sys; sys.stdout.write("{\"a\": \"" + "x" * (2 * 1024 * 1024) + "\"}")' > "$results/$digest_id.json"
gp export digest-only
is "$RC" 0 "nor does a 2 MiB result file"
gp remove digest-only
gp remove sock
gp remove sock-h
gp remove plain-http

# --- help and the front door -----------------------------------------------

help=$("$GATEPASS" --help)
for command in list show add edit remove set-password activate deactivate export; do
  like "$help" "  $command" "--help documents $command"
done
gp add --help
like "$OUT" '--password-stdin' "add --help lists its options"
gp frobnicate
is "$RC" 2 "an unknown command is exit 2"
gp list --frobnicate
is "$RC" 2 "an unknown option is exit 2"
"$GATEPASS" >/dev/null 2>"$GATEPASS_TEST_TMPDIR/err"
is "$?" 2 "gatepass without a display exits 2"
like "$(head -n 1 "$GATEPASS_TEST_TMPDIR/err")" 'no display' "and says so in its first line"
like "$("$GATEPASS" --version)" '^gatepass [0-9]' "--version"

# --- a port out of range (issue 8) ------------------------------------------

for port in 70000 0 -1 99999999999; do
  gp add bad-port "http://proxy.example:$port" --auth none </dev/null
  is "$RC" 2 "a port of $port is exit 2"
  like "$ERR" "the port $port is out of range: use 1 to 65535" "and says which port and what range"
done
gp show bad-port
is "$RC" 4 "no profile was added with a bad port"

# --- profiles.ini: a repeated key is a corrupt file (issue 8) ---------------

cp "$profiles" "$GATEPASS_TEST_TMPDIR/before-duplicate.ini"
printf '[profile dup-1]\nname=dup\nurl=http://dup.example:1\nhttps-proxy=http://old.example:8080\nhttps-proxy=\n' >> "$profiles"
cp "$profiles" "$GATEPASS_TEST_TMPDIR/duplicate.ini"
lines=$(wc -l < "$profiles")
gp list
is "$RC" 2 "a repeated key is exit 2"
like "$ERR" "profiles.ini:$lines: the key “https-proxy” appears a second time" \
  "the error names the file, the line and the key"
gp add another http://p:1 </dev/null
is "$RC" 2 "add refuses the file too"
ok "the file with the repeated key is left as it was" cmp -s "$profiles" "$GATEPASS_TEST_TMPDIR/duplicate.ini"
cp "$GATEPASS_TEST_TMPDIR/before-duplicate.ini" "$profiles"

# --- an echo URL that is not one: say what is wrong with it --------------------

gp test --all --ip-echo http://echo.example:70000
is "$RC" 2 "an echo URL with a port out of range is a usage error"
like "$ERR" "70000.*out of range" "and the message names the port"
gp test --all --ip-echo ftp://echo.example
is "$RC" 2 "an echo URL of another scheme is a usage error"
like "$ERR" "not an http or https URL" "and the message says which schemes"

done_testing
