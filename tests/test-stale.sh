# SPDX-License-Identifier: GPL-3.0-or-later
#
# `gatepass --headless clear-stale` and `import` end to end (CLI.md,
# "`clear-stale` results" and "`import`"), with real parts: a real squid
# whose password is changed at the proxy mid-test, the real keyring of
# keyring-session.sh, GNOME's proxy settings in a real dconf database,
# the session file and the bus's activation environment, and throwaway
# /etc/environment and /etc/apt bind-mounted in a private mount namespace.
# After every command: no test password, in any form, in a file of the
# hermetic home or XDG directories, nor in anything gatepass printed.
#
# Runs as `keyring-session.sh proxy-lab.sh bash test-stale.sh`, as root
# (for unshare -m and mount: CI runs as root).

here=${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}
. "$here/tap.sh"

: "${GATEPASS:?GATEPASS must name the gatepass executable}"
: "${GATEPASS_TEST_TMPDIR:?run this under tests/keyring-session.sh}"
: "${GP_LAB_BASIC_SHORT:?run this under tests/proxy-lab.sh}"

# /etc/environment and apt's configuration are read by clear-stale: the
# test's own copies are mounted over them in a namespace of its own, so
# that neither this machine's files take part nor the test changes them.
if [ -z "${GP_STALE_NAMESPACE:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Bail out! test-stale.sh needs root, for unshare -m and mount (CI runs as root)"
    exit 1
  fi
  if ! err=$(unshare -m --propagation private true 2>&1); then
    echo "Bail out! unshare -m does not work here: $err"
    exit 1
  fi
  GP_STALE_NAMESPACE=1 exec unshare -m --propagation private bash "$0" "$@"
fi

# GNOME's settings in a real dconf database (dconf-service is started on
# keyring-session.sh's private bus, its database in the hermetic
# XDG_CONFIG_HOME), not the memory backend that the other tests use.
export GSETTINGS_BACKEND=dconf

work=$GATEPASS_TEST_TMPDIR/stale
mkdir -p "$work/etc/apt/apt.conf.d"
: >"$work/all-output"
: >"$work/etc/environment"
: >"$work/etc/apt/apt.conf"
mount --bind "$work/etc/environment" /etc/environment &&
  mount --bind "$work/etc/apt" /etc/apt ||
  { echo "Bail out! could not bind-mount the test's /etc/environment and /etc/apt"; exit 1; }

schema=io.github.gatepass.Profile
session_file=$XDG_CONFIG_HOME/environment.d/60-gatepass.conf
profiles_ini=$XDG_CONFIG_HOME/gatepass/profiles.ini
echo_http=$GP_LAB_ECHO_HTTP/

# --- the test passwords (each user and password, for the leak checks) -----------

rita_old='old p@ss:1 ü'      # "rejected": changed at the proxy, the profile keeps it
rita_new='new p@ss:1 ü'
willa_pw='still w0rks:%'     # "working": never changes at the proxy
willa_new='w1lla n3w @:%'    # written into the keyring behind gatepass's back
rafe_old='old r@fe:2'        # "replaced": changed at the proxy, then with set-password
rafe_new='new r@fe:2'
bob_pw='orphan s3cret #1'    # keyring items no profile uses
oldwilla_pw='0ld w1lla s3cret'
gus_pw='gn0me cl3ar @:%'     # GNOME's plaintext password, found by clear-stale
alice_user='al@ice'
alice_pw='p@ss:würd'         # imported from http_proxy, percent-encoded there
gina_pw='gn0me imp0rt :@'    # imported from GNOME's settings
file_pws=('f1le p@ss' 'f1le:pw' 'apt-pw' 'apt.d pw' 'fish pw')  # kind 5 only: planted files
skip_pws=('nopor7' 'ctl
pw' 'h77p-pw-one' 'h77ps-pw-two')

pairs=(
  "rita" "$rita_old" "rita" "$rita_new" "willa" "$willa_pw" "willa" "$willa_new"
  "rafe" "$rafe_old" "rafe" "$rafe_new" "bob" "$bob_pw" "oldwilla" "$oldwilla_pw"
  "gus" "$gus_pw" "$alice_user" "$alice_pw" "gina" "$gina_pw"
  "$GP_LAB_USER" "$GP_LAB_PASSWORD" "u" "${skip_pws[0]}" "u" "${skip_pws[1]}"
  "u" "${skip_pws[2]}" "u" "${skip_pws[3]}"
)
for pw in "${file_pws[@]}"; do
  pairs+=("carol" "$pw")
done

# The forms a password could leak in: as it is, percent-encoded (as
# Gatepass and clients write URLs, with lower-case hex too), and Basic's
# base64 of user:password. NUL-separated, in a file outside the scanned
# directories.
python3 - "${pairs[@]}" >"$work/forms" <<'EOF'
import base64, sys, urllib.parse
args = sys.argv[1:]
forms = set()
for user, password in zip(args[0::2], args[1::2]):
    quoted = urllib.parse.quote(password, safe="")
    forms.update({password, quoted, quoted.lower(), urllib.parse.quote(password),
                  base64.b64encode(f"{user}:{password}".encode()).decode()})
sys.stdout.write("\0".join(sorted(forms)))
EOF

# What may hold a test password: the keyring's own files, the session file
# while its profile opts in (session_opted=1), and GNOME's database while
# the test has planted a password there (gnome_planted=1). The kind-5
# files the test plants are outside the scanned directories.
session_opted=0
gnome_planted=0
# One line per leak found; a file, since many commands run in $(...).
: >"$work/leaks"

# scan_files WHEN: counts (in leaks) and names every file under the
# hermetic home and XDG directories that holds a form of a test password.
scan_files() {
  local excluded=("$XDG_DATA_HOME/keyrings/")
  [ "$session_opted" = 1 ] && excluded+=("$session_file")
  [ "$gnome_planted" = 1 ] && excluded+=("$XDG_CONFIG_HOME/dconf/")
  local found
  found=$(python3 - "$work/forms" "${excluded[@]}" <<'EOF'
import os, sys
forms = [f.encode() for f in open(sys.argv[1], encoding="utf-8").read().split("\0") if f]
excluded = sys.argv[2:]
roots = [os.environ[v] for v in ("HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")]
for root in roots:
    for top, dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(top, name)
            if any(path == e or (e.endswith("/") and path.startswith(e)) for e in excluded):
                continue
            try:
                data = open(path, "rb").read()
            except OSError:
                continue
            hits = [i for i, f in enumerate(forms) if f in data]
            if hits:
                print(f"{path} (forms {hits})")
EOF
)
  if [ -n "$found" ]; then
    echo "$1: files" >>"$work/leaks"
    diag "after $1, a test password sits in:" "$found"
  fi
}

# scan_output WHEN FILE...: as scan_files, for what a command printed.
scan_output() {
  local when=$1
  shift
  if python3 - "$work/forms" "$@" <<'EOF'
import sys
forms = [f.encode() for f in open(sys.argv[1], encoding="utf-8").read().split("\0") if f]
data = b"".join(open(p, "rb").read() for p in sys.argv[2:])
sys.exit(1 if any(f in data for f in forms) else 0)
EOF
  then :; else
    echo "$when: output" >>"$work/leaks"
    diag "$when printed a form of a test password"
  fi
}

# run [NAME=VALUE...] ARGS...: `gatepass --headless ARGS` with NAME=VALUE
# in its environment and stdin from /dev/null (or $STDIN when set); a hang
# becomes 124 after 60 s. Sets OUT, ERR, RC; then checks for leaks.
run() {
  local assignments=()
  while [[ ${1:-} == [A-Za-z_]*=* ]]; do
    assignments+=("$1")
    shift
  done
  if [ -n "${STDIN+set}" ]; then
    printf '%s' "$STDIN" | timeout 60 env "${assignments[@]}" "$GATEPASS" --headless "$@" >"$work/out" 2>"$work/err"
    RC=${PIPESTATUS[1]}
  else
    timeout 60 env "${assignments[@]}" "$GATEPASS" --headless "$@" </dev/null >"$work/out" 2>"$work/err"
    RC=$?
  fi
  OUT=$(cat "$work/out")
  ERR=$(cat "$work/err")
  { printf '== %s\n' "$*"; cat "$work/out" "$work/err"; } >>"$work/all-output"
  scan_output "$1" "$work/out" "$work/err"
  scan_files "$1"
}

# json_get JSON PYTHON-EXPRESSION [ARG...]: evaluates the expression on the
# parsed `j` (ARGs in sys.argv[3:]).
json_get() {
  python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2]), ensure_ascii=False))' \
    "$@" 2>/dev/null || echo '<invalid JSON>'
}

# findings: the last clear-stale --json output's findings, one
# "kind id location line action" per line (null for JSON's null), sorted.
findings() {
  local listed
  listed=$(python3 -c '
import json, sys
show = lambda v: "null" if v is None else str(v)
for f in json.loads(sys.argv[1])["findings"]:
    print(" ".join(show(f[k]) for k in ("kind", "id", "location", "line", "action")))' "$OUT" 2>/dev/null) ||
    { echo '<invalid JSON>'; return; }
  [ -n "$listed" ] && LC_ALL=C sort <<<"$listed"
}

# lines LINE...: the lines, sorted as findings sorts them.
lines() { printf '%s\n' "$@" | LC_ALL=C sort; }

schema_installed() { gsettings list-keys org.gnome.system.proxy.http >/dev/null 2>&1; }

# add NAME URL [USER PASSWORD]: a profile, the password on stdin.
add() {
  if [ $# -ge 4 ]; then
    STDIN=$4 run add "$1" "$2" --username "$3" --password-stdin
  else
    run add "$1" "$2"
  fi
  [ "$RC" -eq 0 ] || { echo "Bail out! could not add profile $1: $ERR"; exit 1; }
}

profile_id() {
  run show "$1" --json
  json_get "$OUT" 'j["id"]' | tr -d '"'
}

# verdict NAME [PROXY-IGNORED]: the verdict of `test NAME` through the lab.
verdict() {
  run test "$1" --json --ip-echo "$echo_http" --timeout 10
  json_get "$OUT" 'j[0]["verdict"]' | tr -d '"'
}

# keyring_count: the keyring items of Gatepass's schema.
keyring_count() {
  secret-tool search --all xdg:schema "$schema" 2>&1 | grep -c '^attribute.profile' || true
}

# keyring_secret ID USER: the password stored for ID and USER ("<none>").
keyring_secret() {
  secret-tool lookup xdg:schema "$schema" profile "$1" username "$2" 2>/dev/null || printf '<none>'
}

# set_proxy_password USER PASSWORD: changes (or adds) USER at the short
# squid. The helper reloads its file when the mtime differs from the one
# it read (whole seconds): each version gets a later one than the last.
set_proxy_password() {
  local file=$GP_LAB_BASIC_SHORT_HTPASSWD before after
  before=$(stat -c %Y "$file")
  htpasswd -bB "$file" "$1" "$2" 2>>"$work/htpasswd.log" || { echo "Bail out! htpasswd failed"; exit 1; }
  after=$(stat -c %Y "$file")
  [ "$after" -gt "$before" ] || touch -d "@$((before + 1))" "$file"
}

# proxy_answers USER PASSWORD CODE: polls (at most 15 s) until a request
# through the short squid with these credentials gets CODE. The password
# goes to curl on stdin, never in argv.
proxy_answers() {
  local i code
  for i in $(seq 150); do
    code=$(printf 'proxy-user = "%s:%s"\n' "$1" "$2" |
           curl -s -o /dev/null -w '%{http_code}' --max-time 2 -K - -x "$GP_LAB_BASIC_SHORT" "$echo_http")
    [ "$code" = "$3" ] && return 0
    sleep 0.1
  done
  diag "the short squid still answers $code for $1, not $3"
  return 1
}

# gnome_dump: org.gnome.system.proxy and its children, every key.
gnome_dump() {
  local s
  for s in "" .http .https .ftp .socks; do
    gsettings list-recursively "org.gnome.system.proxy$s" 2>&1
  done | sort -u
}

gnome_reset() {
  local s key
  for s in "" .http .https .ftp .socks; do
    for key in $(gsettings list-keys "org.gnome.system.proxy$s"); do
      gsettings reset "org.gnome.system.proxy$s" "$key"
    done
  done
}

sha_of() { sha256sum "$@" 2>/dev/null; }

# The leak checks must be able to fail: Basic's form of a password in a
# cache file, and a percent-encoded one in what a command printed.
printf 'Proxy-Authorization: Basic %s\n' "$(printf '%s' "willa:$willa_pw" | base64)" >"$XDG_CACHE_HOME/probe"
scan_files "the leak checks' own probe" 2>/dev/null >/dev/null
printf 'http://willa:%s@proxy\n' "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$willa_pw")" \
  >"$work/probe-output"
scan_output "the leak checks' own probe" "$work/probe-output" >/dev/null
is "$(cut -d: -f2 "$work/leaks" | tr -d ' ' | tr '\n' ' ')" "files output " \
   "the leak checks see a base64 form in a file and a percent-encoded one in output"
rm -f "$XDG_CACHE_HOME/probe" "$work/probe-output"
: >"$work/leaks"

# ==================================================================================
# 1. rejected and unchanged: a real squid whose passwords change mid-test
# ==================================================================================

set_proxy_password rita "$rita_old"
set_proxy_password willa "$willa_pw"
set_proxy_password rafe "$rafe_old"
add rejected "$GP_LAB_BASIC_SHORT" rita "$rita_old"
add working "$GP_LAB_BASIC_SHORT" willa "$willa_pw"
add replaced "$GP_LAB_BASIC_SHORT" rafe "$rafe_old"
added_at=$(date +%s)
rejected_id=$(profile_id rejected)
working_id=$(profile_id working)
replaced_id=$(profile_id replaced)

is "$(verdict rejected)" ok "rejected: ok before the password changes at the proxy"
is "$(verdict working)" ok "working: ok"
is "$(verdict replaced)" ok "replaced: ok before the password changes at the proxy"

run clear-stale --dry-run --json
is "$RC/$(findings)" "0/" "nothing is stale while every password works"

set_proxy_password rita "$rita_new"
set_proxy_password rafe "$rafe_new"
ok "the squid rejects rita's old password (its 1-second cache gone)" proxy_answers rita "$rita_old" 407
ok "the squid rejects rafe's old password" proxy_answers rafe "$rafe_old" 407
ok "the squid takes willa's password" proxy_answers willa "$willa_pw" 200

is "$(verdict rejected)" auth-rejected "rejected: auth-rejected after the change at the proxy"
is "$(verdict working)" ok "working: still ok"
is "$(verdict replaced)" auth-rejected "replaced: auth-rejected after the change at the proxy"

# The keyring's modification times have whole seconds: the new password
# must be stored in a later second than the rejected one was.
for _ in $(seq 300); do
  [ "$(date +%s)" -gt "$added_at" ] && break
  sleep 0.01
done
STDIN=$rafe_new run set-password replaced
is "$RC" 0 "set-password replaced (the new password, after the failing test)"
is "$(keyring_count)" 3 "three keyring items"

run clear-stale --dry-run --json
is "$RC" 0 "clear-stale --dry-run --json: exit 0"
is "$(findings)" "rejected-credential $rejected_id keyring null would-remove" \
   "--dry-run lists exactly the rejected, unchanged item, as would-remove"
is "$(json_get "$OUT" '[sorted(f) for f in j["findings"]]')" \
   '[["action", "explanation", "id", "kind", "line", "location", "profile"]]' \
   "a finding has kind, profile, id, location, line, explanation, action"
is "$(json_get "$OUT" 'j["findings"][0]["profile"]')" '"rejected"' "the finding names the profile"
is "$(keyring_count)" 3 "--dry-run removes nothing"
is "$(keyring_secret "$rejected_id" rita)" "$rita_old" "--dry-run keeps the rejected item as it was"

run clear-stale --json
is "$RC" 0 "clear-stale --json: exit 0"
is "$(findings)" "rejected-credential $rejected_id keyring null removed" \
   "clear-stale removes the rejected item (action removed)"
is "$(keyring_count)" 2 "one keyring item fewer"
is "$(keyring_secret "$rejected_id" rita)" "<none>" "the rejected password is gone from the keyring"
is "$(keyring_secret "$working_id" willa)" "$willa_pw" "the working profile keeps its item"
is "$(keyring_secret "$replaced_id" rafe)" "$rafe_new" "the profile whose password was replaced after the test keeps its item"
is "$(verdict rejected)" auth-required "rejected: auth-required now (no password to send)"
is "$(verdict replaced)" ok "replaced: ok with its new password"

run clear-stale --dry-run --json
is "$(findings)" "" "nothing more is stale"

# Once more, in human words: the advice to store the new password.
STDIN=$rita_old run set-password rejected
is "$(verdict rejected)" auth-rejected "rejected: auth-rejected again with the old password stored again"
run clear-stale
is "$RC" 0 "clear-stale: exit 0"
like "$OUT" "^removed: .*rejected" "clear-stale says what it removed"
like "$OUT" "gatepass --headless set-password rejected" "... and how to store the new password"
is "$(keyring_secret "$rejected_id" rita)" "<none>" "... and removed it"
run clear-stale
is "$OUT" "No stale credentials found." "then: no stale credentials found"

# ==================================================================================
# 2. orphaned keyring items: a profile that is gone, an old username
# ==================================================================================

gone_id=0rphan-of-a-removed-profile
printf '%s' "$bob_pw" | secret-tool store --label x xdg:schema "$schema" profile "$gone_id" username bob
printf '%s' "$oldwilla_pw" | secret-tool store --label x xdg:schema "$schema" profile "$working_id" username oldwilla
is "$(keyring_count)" 4 "two items planted: 4 in all"

run clear-stale --dry-run --json
is "$RC/$(findings)" "0/$(lines "orphaned-credential $gone_id keyring null would-remove" \
                                  "orphaned-credential $working_id keyring null would-remove")" \
   "--dry-run finds the item of a removed profile and the one under an old username"
is "$(json_get "$OUT" 'sorted((f["id"] == sys.argv[3], f["profile"]) for f in j["findings"])' "$working_id")" \
   '[[false, null], [true, "working"]]' "the old-username item names its profile, the other none"
is "$(keyring_count)" 4 "--dry-run removes nothing"

run clear-stale --json
is "$RC/$(findings)" "0/$(lines "orphaned-credential $gone_id keyring null removed" \
                                  "orphaned-credential $working_id keyring null removed")" "clear-stale removes both"
is "$(keyring_secret "$gone_id" bob)" "<none>" "the removed profile's item is gone"
is "$(keyring_secret "$working_id" oldwilla)" "<none>" "the old username's item is gone"
is "$(keyring_secret "$working_id" willa)" "$willa_pw" "the working profile's own item stays"
is "$(keyring_secret "$replaced_id" rafe)" "$rafe_new" "the replaced profile's item stays"
is "$(keyring_count)" 2 "two items left"

# ==================================================================================
# 3. GNOME's plaintext password
# ==================================================================================

ok "GNOME's proxy schema is installed" schema_installed
gsettings set org.gnome.system.proxy mode manual
gsettings set org.gnome.system.proxy ignore-hosts "['localhost', '10.0.0.0/8']"
gsettings set org.gnome.system.proxy.http host gnome-proxy.example
gsettings set org.gnome.system.proxy.http port 8080
gsettings set org.gnome.system.proxy.socks host socks.example
gsettings set org.gnome.system.proxy.http authentication-user gus
gsettings set org.gnome.system.proxy.http authentication-password "$gus_pw"
gsettings set org.gnome.system.proxy.http use-authentication true
gnome_planted=1
ok "the password sits in dconf's database (a real one, not memory)" \
  grep -qaF "$gus_pw" "$XDG_CONFIG_HOME/dconf/user"
before=$(gnome_dump)

run clear-stale --dry-run --json
is "$RC/$(findings)" "0/gnome-settings-password null gnome-settings null would-remove" \
   "--dry-run finds GNOME's plaintext password"
is "$(gnome_dump)" "$before" "--dry-run changes nothing in GNOME's settings"

run clear-stale --json
is "$RC/$(findings)" "0/gnome-settings-password null gnome-settings null removed" "clear-stale removes it"
is "$(gsettings get org.gnome.system.proxy.http authentication-password)" "''" "authentication-password reset"
is "$(gsettings get org.gnome.system.proxy.http authentication-user)" "''" "authentication-user reset"
is "$(gsettings get org.gnome.system.proxy.http use-authentication)" "false" "use-authentication reset"
is "$(gnome_dump | grep -v ' authentication-password \| authentication-user \| use-authentication ')" \
   "$(printf '%s\n' "$before" | grep -v ' authentication-password \| authentication-user \| use-authentication ')" \
   "nothing else in org.gnome.system.proxy changed"
gnome_planted=0
run clear-stale --dry-run --json
is "$(findings)" "" "nothing more is stale (and dconf's database no longer holds the password)"
gnome_reset

# ==================================================================================
# 5. the session's copies: the session file and the activation environment
# ==================================================================================

run edit working --session-credentials yes
is "$RC" 0 "working: --session-credentials yes"
session_opted=1
run activate working
is "$RC" 0 "activate working"
willa_escaped=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$willa_pw")
willa_new_escaped=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$willa_new")
ok "the session file holds willa's password, percent-encoded" grep -qF "willa:$willa_escaped@" "$session_file"
run clear-stale --dry-run --json
is "$(findings)" "" "nothing stale while the session holds the keyring's credentials"

# Behind gatepass's back (as another keyring client would): no re-apply.
printf '%s' "$willa_new" | secret-tool store --label x xdg:schema "$schema" profile "$working_id" username willa
is "$(keyring_secret "$working_id" willa)" "$willa_new" "the keyring holds willa's new password"
ok "the session file still holds the old one" grep -qF "willa:$willa_escaped@" "$session_file"
session_before=$(sha_of "$session_file")

run clear-stale --dry-run --json
is "$RC/$(findings)" "0/$(lines "session-copy $working_id $session_file null would-remove" \
                                  "session-copy $working_id activation-environment null would-remove")" \
   "--dry-run finds the session file's and (by the record) the activation environment's old copy"
is "$(sha_of "$session_file")" "$session_before" "--dry-run leaves the session file as it was"

run clear-stale --json
is "$RC/$(findings)" "0/$(lines "session-copy $working_id $session_file null removed" \
                                  "session-copy $working_id activation-environment null removed")" "clear-stale removes both"
ok "the session file now holds the new password, percent-encoded" \
  grep -qF "willa:$willa_new_escaped@" "$session_file"
ok "... and not the old one" not grep -qF "$willa_escaped" "$session_file"
run clear-stale --dry-run --json
is "$(findings)" "" "nothing more is stale after the re-apply"

run deactivate
is "$RC" 0 "deactivate"
session_opted=0
run edit working --session-credentials no
ok "the session file is gone" test ! -e "$session_file"
run clear-stale --dry-run --json
is "$(findings)" "" "nothing stale after deactivate"

# ==================================================================================
# 4. proxy URLs with passwords in the user's and the system's files: listed only
# ==================================================================================

home5=$work/home5
mkdir -p "$home5/.config/fish"
printf '%s\n' '# proxies' 'export no_proxy=localhost' \
  'export http_proxy=http://carol:f1le%20p%40ss@proxy.example:3128' \
  'export ftp_proxy=http://proxy.example:3128' >"$home5/.profile"
printf '%s\n' 'export https_proxy="http://carol:f1le:pw@proxy.example:3128/"' \
  'export all_proxy=http://carol@proxy.example:3128' >"$home5/.bash_profile"
printf '%s\n' '# ~/.bashrc' 'alias ll="ls -l"' 'PS1="\u@\h:\w "' 'export HTTP_PROXY=http://proxy.example:3128/' \
  "export HTTPS_PROXY='http://carol:f1le%20p%40ss@proxy.example:3128'" >"$home5/.bashrc"
printf '%s\n' 'path+=(~/bin)' 'export http_proxy=http://carol:apt-pw@proxy.example:3128' >"$home5/.zprofile"
printf '%s\n' 'autoload -U compinit' 'compinit' 'export no_proxy=.corp' \
  'export all_proxy=socks5h://carol:f1le:pw@socks.example:1080' >"$home5/.zshrc"
printf '%s\n' '# fish' 'set -gx EDITOR vi' 'set -gx no_proxy localhost' 'set -gx ftp_proxy http://proxy.example:3128' \
  'if status is-interactive' '    set -gx http_proxy http://carol:fish%20pw@proxy.example:3128' 'end' \
  >"$home5/.config/fish/config.fish"
printf '%s\n' 'PATH="/usr/local/bin:/usr/bin:/bin"' 'https_proxy="http://carol:f1le%3Apw@10.0.0.1:8080/"' \
  'no_proxy="localhost"' >/etc/environment
printf '%s\n' 'Acquire::http::Proxy "http://carol:apt-pw@10.0.0.2:3142/";' >/etc/apt/apt.conf
printf '%s\n' '// proxy' 'Acquire::ftp::Proxy "http://10.0.0.2:3142/";' \
  'Acquire::https::Proxy "http://carol:apt.d%20pw@10.0.0.2:3142/";' >/etc/apt/apt.conf.d/10proxy
printf '%s\n' 'APT::Install-Recommends "false";' 'Acquire::http::Proxy "http://10.0.0.3:3142/";' \
  >/etc/apt/apt.conf.d/20other

planted=("$home5/.profile" "$home5/.bash_profile" "$home5/.bashrc" "$home5/.zprofile" "$home5/.zshrc"
         "$home5/.config/fish/config.fish" /etc/environment /etc/apt/apt.conf
         /etc/apt/apt.conf.d/10proxy /etc/apt/apt.conf.d/20other)
planted_before=$(sha_of "${planted[@]}")
expected_files=$(lines "environment-copy null $home5/.bash_profile 1 ACTION
environment-copy null $home5/.bashrc 5 ACTION
environment-copy null $home5/.config/fish/config.fish 6 ACTION
environment-copy null $home5/.profile 3 ACTION
environment-copy null $home5/.zprofile 2 ACTION
environment-copy null $home5/.zshrc 4 ACTION
environment-copy null /etc/apt/apt.conf 1 ACTION
environment-copy null /etc/apt/apt.conf.d/10proxy 3 ACTION
environment-copy null /etc/environment 2 ACTION" | LC_ALL=C sort)

run HOME="$home5" clear-stale --dry-run --json
is "$RC/$(findings)" "0/${expected_files//ACTION/listed}" \
   "--dry-run lists each file with its line, action listed (and no URL without a password)"
run HOME="$home5" clear-stale --json
is "$RC/$(findings)" "0/${expected_files//ACTION/listed}" "clear-stale lists them the same, action listed"
is "$(json_get "$OUT" 'sorted({f["profile"] for f in j["findings"]}, key=str)')" '[null]' "... belonging to no profile"
like "$(json_get "$OUT" '[f["explanation"] for f in j["findings"] if f["location"].endswith("/.zprofile")]')" \
     "Line 2 of ~/.zprofile" "the explanation names the line and the file"
is "$(sha_of "${planted[@]}")" "$planted_before" "every file is byte-identical after clear-stale"
run HOME="$home5" clear-stale
is "$RC" 0 "clear-stale (human words): exit 0"
is "$(grep -c '^left as it is: ' <<<"$OUT")" 9 "... nine files left as they are"
is "$(sha_of "${planted[@]}")" "$planted_before" "... and still byte-identical"
# Inside the Flatpak (GP_TEST_SANDBOX=flatpak: as there), these files are
# outside the sandbox: not read, each unavailable: sandbox.
run HOME="$home5" GP_TEST_SANDBOX=flatpak clear-stale --json
is "$RC/$(json_get "$OUT" '[f["location"] for f in j["findings"] if f["kind"] == "environment-copy"]')" "0/[]" \
   "in the sandbox: clear-stale finds nothing in the files outside it"
is "$(json_get "$OUT" 'sorted(u["location"] for u in j.get("unavailable", []) if u["kind"] == "environment-copy" and u["reason"] == "sandbox")')" \
   "$(python3 -c 'import json, sys; print(json.dumps(sorted(sys.argv[1:]), ensure_ascii=False))' \
        "$home5/.profile" "$home5/.bash_profile" "$home5/.bashrc" "$home5/.zprofile" "$home5/.zshrc" \
        "$home5/.config/fish/config.fish" /etc/environment /etc/apt/apt.conf /etc/apt/apt.conf.d)" \
   "... and reports each of them as environment-copy unavailable: sandbox"
is "$(sha_of "${planted[@]}")" "$planted_before" "... every file still byte-identical"
run HOME="$home5" clear-stale --json
is "$(json_get "$OUT" '"unavailable" in j')" false "on the host, clear-stale --json has no unavailable member"
for f in /etc/environment /etc/apt/apt.conf /etc/apt/apt.conf.d/10proxy /etc/apt/apt.conf.d/20other; do
  : >"$f"
done
rm -f /etc/apt/apt.conf.d/10proxy /etc/apt/apt.conf.d/20other

# ==================================================================================
# 6. import: from the proxy variables and from GNOME's settings
# ==================================================================================

set_proxy_password "$alice_user" "$alice_pw"
set_proxy_password gina "$gina_pw"
ok "the squid takes al@ice's password" proxy_answers "$alice_user" "$alice_pw" 200
short_port=${GP_LAB_BASIC_SHORT##*:}
basic_port=${GP_LAB_BASIC##*:}
alice_url="http://al%40ice:p%40ss%3Aw%C3%BCrd@127.0.0.1:$short_port"

run http_proxy="$alice_url" import --from env --json
is "$RC" 0 "import --from env: exit 0"
is "$(json_get "$OUT" 'j["imported"]')" \
   "[{\"profile\": \"127.0.0.1\", \"source\": \"env\", \"url\": \"http://127.0.0.1:$short_port\", \"credentials\": \"moved-to-keyring\"}]" \
   "imported, named after the host, the credentials moved to the keyring"
is "$(json_get "$OUT" 'j["skipped"]')" "[]" "nothing skipped"
like "$(json_get "$OUT" 'j["plaintext_left"]')" "http_proxy" "plaintext_left names http_proxy"
alice_id=$(profile_id 127.0.0.1)
run show 127.0.0.1 --json
is "$(json_get "$OUT" 'j["username"]')" "\"$alice_user\"" "the username is percent-decoded"
is "$(keyring_secret "$alice_id" "$alice_user")" "$alice_pw" "the keyring holds the decoded password"
is "$(verdict 127.0.0.1)" ok "the imported profile: ok through the squid"

run http_proxy="$alice_url" import --from env --json
is "$RC/$(json_get "$OUT" 'j["imported"]')" "0/[]" "import again: nothing imported"
like "$(json_get "$OUT" 'j["skipped"]')" '"source": "env".*127\.0\.0\.1' "... skipped as the same as 127.0.0.1"

lab_user_escaped=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$GP_LAB_USER")
lab_pw_escaped=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$GP_LAB_PASSWORD")
run HTTP_PROXY="http://$lab_user_escaped:$lab_pw_escaped@127.0.0.1:$basic_port" import --from env --json
is "$RC/$(json_get "$OUT" '[i["profile"] for i in j["imported"]]')" '0/["127.0.0.1-2"]' \
   "another proxy on the same host (HTTP_PROXY): the name gets -2"
lab_id=$(profile_id 127.0.0.1-2)
is "$(keyring_secret "$lab_id" "$GP_LAB_USER")" "$GP_LAB_PASSWORD" "its password decoded into the keyring"
is "$(verdict 127.0.0.1-2)" ok "127.0.0.1-2: ok through the lab's Basic squid"

# changes_nothing DESC: profiles.ini and the keyring are as they were at snapshot.
snapshot() { ini_before=$(sha_of "$profiles_ini"); count_before=$(keyring_count); }
changes_nothing() {
  is "$(sha_of "$profiles_ini")/$(keyring_count)" "$ini_before/$count_before" "$1: profiles.ini and the keyring unchanged"
}

snapshot
run http_proxy="http://$lab_user_escaped:$lab_pw_escaped@127.0.0.1:${GP_LAB_DIGEST##*:}" import --from env --dry-run --json
is "$RC/$(json_get "$OUT" '[(i["profile"], i["credentials"]) for i in j["imported"]]')" \
   '0/[["127.0.0.1-3", "moved-to-keyring"]]' "--dry-run says what it would import"
changes_nothing "--dry-run"
run list
unlike "$OUT" "127\.0\.0\.1-3" "--dry-run made no profile"

# skipped SOURCE-URL REASON-REGEX DESC
skipped() {
  snapshot
  run http_proxy="$1" import --from env --json
  is "$RC/$(json_get "$OUT" 'j["imported"]')" "0/[]" "$3: nothing imported, exit 0"
  like "$(json_get "$OUT" '[s["source"] + ": " + s["reason"] for s in j["skipped"]]')" "env: .*$2" "$3: skipped, saying why"
  changes_nothing "$3"
}
skipped "http://u:${skip_pws[0]}@127.0.0.1" "port" "a URL without a port"
skipped "http://u:bad%zzesc@127.0.0.1:3128" "%-escape" "a broken %-escape"
skipped "http://u:ctl%0Apw@127.0.0.1:3128" "control" "a control character in the decoded password"

# An HTTPS proxy with credentials of its own: a profile has one pair.
snapshot
run http_proxy="http://u:${skip_pws[2]}@127.0.0.1:3128" https_proxy="http://u:${skip_pws[3]}@127.0.0.1:3129" \
  import --from env --json
is "$RC/$(json_get "$OUT" 'j["imported"]')" "0/[]" "http_proxy and https_proxy with different credentials: nothing imported"
like "$(json_get "$OUT" 'j["skipped"]')" '"env".*different credentials' "... skipped, saying why"
changes_nothing "different credentials"

# --name, and a proxy without credentials.
run http_proxy="$GP_LAB_OPEN" no_proxy=localhost,.corp import --from env --name office --json
is "$RC/$(json_get "$OUT" '[(i["profile"], i["credentials"]) for i in j["imported"]]')/$(json_get "$OUT" 'j["plaintext_left"]')" \
   '0/[["office", "none"]]/[]' "--name office, no credentials: imported as office, nothing left in plaintext"
run show office --json
is "$(json_get "$OUT" '[j["url"], j["username"], j["no_proxy"]]')" \
   "[\"$GP_LAB_OPEN\", null, [\"localhost\", \".corp\"]]" "office: the URL and no_proxy, no username"

# GNOME, manual, with host, port and credentials.
gsettings set org.gnome.system.proxy mode manual
gsettings set org.gnome.system.proxy.http host 127.0.0.1
gsettings set org.gnome.system.proxy.http port "$short_port"
gsettings set org.gnome.system.proxy.http use-authentication true
gsettings set org.gnome.system.proxy.http authentication-user gina
gsettings set org.gnome.system.proxy.http authentication-password "$gina_pw"
gnome_planted=1

snapshot
run import --from gnome --dry-run --json
is "$RC/$(json_get "$OUT" '[i["profile"] for i in j["imported"]]')" '0/["127.0.0.1-3"]' "GNOME --dry-run: would import"
changes_nothing "GNOME --dry-run"

run import --from gnome --json
is "$RC" 0 "import --from gnome: exit 0"
is "$(json_get "$OUT" 'j["imported"]')" \
   "[{\"profile\": \"127.0.0.1-3\", \"source\": \"gnome\", \"url\": \"http://127.0.0.1:$short_port\", \"credentials\": \"moved-to-keyring\"}]" \
   "imported from GNOME, the password moved to the keyring"
like "$(json_get "$OUT" 'j["plaintext_left"]')" "org\.gnome\.system\.proxy\.http authentication-password" \
     "plaintext_left names GNOME's settings"
gina_id=$(profile_id 127.0.0.1-3)
is "$(keyring_secret "$gina_id" gina)" "$gina_pw" "the keyring holds GNOME's password"
is "$(verdict 127.0.0.1-3)" ok "the profile from GNOME: ok through the squid"
is "$(gsettings get org.gnome.system.proxy.http authentication-password | tr -d "'")" "$gina_pw" \
   "import leaves GNOME's copy itself (clear-stale removes it, on request)"

run import --from gnome --json
like "$RC/$(json_get "$OUT" 'j["imported"]')/$(json_get "$OUT" 'j["skipped"]')" '^0/\[\]/.*"gnome".*127\.0\.0\.1-3' \
     "GNOME again: skipped as the same as 127.0.0.1-3"

# Inside the Flatpak (GP_TEST_SANDBOX=flatpak), GSettings is the app's own
# file: GNOME's settings on the host (here manual, with a password) are
# out of reach, and import says so instead of reading the app's defaults.
gsettings set org.gnome.system.proxy.http port "$basic_port"
snapshot
run GP_TEST_SANDBOX=flatpak import --from gnome --json
is "$RC" 1 "in the sandbox: import --from gnome exits 1 (another failure)"
is "$(json_get "$OUT" '[j["imported"], j["skipped"], j["unavailable"]]')" \
   '[[], [], [{"source": "gnome", "reason": "sandbox"}]]' "... --json: gnome unavailable, reason sandbox"
like "$ERR" "GNOME's proxy settings on the host: unavailable: sandbox \(the Flatpak sandbox cannot reach it\)" \
     "... stderr names the source and unavailable: sandbox"
like "$ERR" "--from env" "... and what to do instead"
is "$(grep -c . <<<"$ERR")" 1 "... in one line"
changes_nothing "import --from gnome in the sandbox"
run GP_TEST_SANDBOX=flatpak import --from gnome
is "$RC/$OUT" "1/unavailable: sandbox: gnome (GNOME's proxy settings on the host: the Flatpak sandbox cannot reach it)" \
   "... in words: unavailable: sandbox, exit 1"
changes_nothing "import --from gnome in the sandbox, in words"
run GP_TEST_SANDBOX=flatpak import --dry-run --json
is "$RC/$(json_get "$OUT" '[j["imported"], j["unavailable"]]')" '0/[[], [{"source": "gnome", "reason": "sandbox"}]]' \
   "in the sandbox, both sources: exit 0 (the variables were read), gnome unavailable: sandbox"
changes_nothing "import of both sources in the sandbox"
run import --from gnome --dry-run --json
is "$(json_get "$OUT" '["unavailable" in j, [i["url"] for i in j["imported"]]]')" \
   "[false, [\"http://127.0.0.1:$basic_port\"]]" "on the host, the same settings are read (the control), no unavailable member"
gsettings set org.gnome.system.proxy.http port "$short_port"

# GNOME's unset port: a URL without a port, skipped.
gsettings reset org.gnome.system.proxy.http port
snapshot
run import --from gnome --json
is "$RC/$(json_get "$OUT" 'j["imported"]')" "0/[]" "GNOME without a port: nothing imported, exit 0"
like "$(json_get "$OUT" 'j["skipped"]')" '"gnome".*port' "... skipped, the reason names the port"
changes_nothing "GNOME without a port"
gsettings set org.gnome.system.proxy.http port "$short_port"

gsettings set org.gnome.system.proxy mode auto
gsettings set org.gnome.system.proxy autoconfig-url 'http://127.0.0.1:9/proxy.pac'
snapshot
run import --from gnome --json
is "$RC/$(json_get "$OUT" 'j["imported"]')" "0/[]" "GNOME mode auto: nothing imported, exit 0"
like "$(json_get "$OUT" 'j["skipped"]')" '"source": "gnome".*PAC' "... skipped, the reason mentions PAC"
changes_nothing "GNOME mode auto"

# The plaintext copy that import left: clear-stale removes it.
run clear-stale --json
is "$RC/$(findings)" "0/gnome-settings-password null gnome-settings null removed" \
   "clear-stale removes the password that import left in GNOME's settings"
gnome_planted=0
gnome_reset
run clear-stale --dry-run --json
is "$(findings)" "" "nothing stale at the end"

# ==================================================================================
# 7. no secret anywhere
# ==================================================================================

is "$(wc -l <"$work/leaks")" 0 \
   "no test password in any file of the home and XDG directories, nor in any output, after any command"
scan_output "all of it" "$work/all-output"
is "$(wc -l <"$work/leaks")" 0 "... and none in all the output together"

done_testing
