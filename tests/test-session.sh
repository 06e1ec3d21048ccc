#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Applying a profile to the session (shared/CLI.md, "Applying a profile to
# the session" and `status`): `activate`, `deactivate`, `status`, and the
# commands that re-apply the active profile, as seen from every place they
# reach: the session file, the systemd user manager (the one stand-in,
# tests/systemd-standin.py, which records its calls), the bus's activation
# environment (what a service started afterwards gets), GNOME's proxy
# settings in a real dconf, and the autostart entry. After every command,
# no password is in any file of the home, except the session file when the
# profile opts in, and the keyring's own files.
#
# Runs as `session-bus.sh bash test-session.sh`.
. "$GATEPASS_TESTS_SRCDIR/tap.sh"

: "${GP_SYSTEMD_STANDIN_PID:?run this under tests/session-bus.sh (with the systemd stand-in)}"

session_file="$XDG_CONFIG_HOME/environment.d/60-gatepass.conf"
# Inside the Flatpak (the last part): the host's, under the home.
sandbox_session_file="$HOME/.config/environment.d/60-gatepass.conf"
autostart="$XDG_CONFIG_HOME/autostart/io.github.gatepass.Gatepass-login.desktop"

# Distinctive passwords, with every character that percent-encoding must
# turn, and a short one; each as the contract encodes it in a URL.
pw1='s3ss:on/p@ss #%'
pw1_enc='s3ss%3Aon%2Fp%40ss%20%23%25'
pw2='k9%Qv'
pw2_enc='k9%25Qv'
pw3='r0tat3d:Pw/2'
pw3_enc='r0tat3d%3APw%2F2'

# The names office (below) sets: it has a no-proxy list, so all six.
names6='["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"]'

# Our own stand-ins (the harness's is GP_SYSTEMD_STANDIN_PID).
standin_pids=()
stop_own_standins() {
  local pid
  for pid in "${standin_pids[@]}"; do kill "$pid" 2>/dev/null; done
}
trap stop_own_standins EXIT

# --- what no file may hold -------------------------------------------------

# Every form a password could be written in: as typed, percent-encoded, as
# Basic's base64 of user:password, and a distinctive part of it that no
# escaping changes.
secret_forms=()
add_secret() { # USER PASSWORD ENCODED [PART]
  secret_forms+=("$2" "$3" "$(printf '%s:%s' "$1" "$2" | base64 -w0)" ${4:+"$4"})
}
add_secret alice "$pw1" "$pw1_enc" s3ss
add_secret bob "$pw2" "$pw2_enc"
add_secret alice "$pw3" "$pw3_enc" r0tat3d

# Set to 1 while the active profile has --session-credentials yes.
session_file_may_hold_credentials=0

# password_files: the files under the home and the XDG folders that hold a
# password (the keyring's own files aside), one a line.
password_files() {
  local patterns=() form
  for form in "${secret_forms[@]}"; do patterns+=(-e "$form"); done
  grep -rlaF --exclude-dir=keyrings "${patterns[@]}" \
    "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" 2>/dev/null |
    if [ "$session_file_may_hold_credentials" = 1 ]; then grep -vxF -e "$session_file" -e "$sandbox_session_file"; else cat; fi
}

# no_password_on_disk WHAT: one assertion, that there is no such file.
no_password_on_disk() {
  is "$(password_files)" "" "no password on disk after: $1"
}

# g ARGS...: gp (tap.sh), then the search for passwords on disk.
g() {
  gp "$@"
  local rc=$RC
  no_password_on_disk "gatepass $*"
  RC=$rc
}

# --- reading the places ----------------------------------------------------

# json_get JSON PYTHON-EXPRESSION [ARG...]: the expression on the parsed
# `j`, with the further arguments in `a`.
json_get() {
  python3 -c 'import json, sys; j = json.loads(sys.argv[1]); a = sys.argv[3:]; print(json.dumps(eval(sys.argv[2])))' "$@"
}

# log_mark: where the stand-in's log ends now. log_since MARK METHOD: the
# strings passed to METHOD since then, all calls together, sorted (JSON).
log_mark() { wc -l < "$GP_SYSTEMD_LOG"; }
log_since() {
  python3 - "$GP_SYSTEMD_LOG" "$1" "$2" <<'PY'
import json, sys
calls = [json.loads(line) for line in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]]
print(json.dumps(sorted({s for c in calls if c["method"] == sys.argv[3] for s in c["args"][0]})))
PY
}

# manager_env: the stand-in's environment now, as a JSON object. (Debian's
# python3, which has gi; one earlier in PATH may not.)
manager_env() {
  /usr/bin/python3 - <<'PY'
import json
from gi.repository import Gio, GLib
bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
reply = bus.call_sync("org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                      "org.freedesktop.DBus.Properties", "Get",
                      GLib.Variant("(ss)", ("org.freedesktop.systemd1.Manager", "Environment")),
                      None, Gio.DBusCallFlags.NO_AUTO_START, 5000, None)
print(json.dumps(dict(s.split("=", 1) for s in reply.unpack()[0])))
PY
}

# activation_env: the environment of a service the bus starts now (JSON).
activation_env() {
  "$GP_ENV_RECORD" | python3 -c '
import json, sys
print(json.dumps(dict(e.split("=", 1) for e in sys.stdin.read().split("\0") if e)))'
}

# assignments JSON: export --format json's object as sorted NAME=VALUE (JSON).
assignments() { json_get "$1" 'sorted(k + "=" + v for k, v in j.items())'; }

# without_credentials TEXT: the URLs in it with no user:password@.
without_credentials() { printf '%s\n' "$1" | sed -E 's#://[^@/]*@#://#'; }

# valid_desktop_entry FILE: desktop-file-validate, its findings on stderr.
valid_desktop_entry() { desktop-file-validate "$1" >&2; }

name_has_owner() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.systemd1 | grep -q true
}

# start_standin [--hang-on-set]: one more stand-in, ready when this returns.
start_standin() {
  "$GP_SYSTEMD_STANDIN" "$@" "$GP_SYSTEMD_LOG" &
  standin_pids+=($!)
  gdbus wait --session --timeout 10 org.freedesktop.systemd1
}

# stop_standin PID: stops it and waits (at most 10 s) until its name is gone.
stop_standin() {
  kill "$1" 2>/dev/null
  local _
  for _ in $(seq 100); do
    name_has_owner || return 0
    sleep 0.1
  done
  return 1
}

gnome_keys=(
  "org.gnome.system.proxy mode" "org.gnome.system.proxy ignore-hosts"
  "org.gnome.system.proxy.http host" "org.gnome.system.proxy.http port"
  "org.gnome.system.proxy.http use-authentication" "org.gnome.system.proxy.http authentication-user"
  "org.gnome.system.proxy.http authentication-password"
  "org.gnome.system.proxy.https host" "org.gnome.system.proxy.https port"
  "org.gnome.system.proxy.socks host" "org.gnome.system.proxy.socks port"
)
# gnome_settings: every key Gatepass may touch, or must not, one a line.
gnome_settings() {
  local key
  # shellcheck disable=SC2086 # "schema key"
  for key in "${gnome_keys[@]}"; do printf '%s = %s\n' "$key" "$(gsettings get $key)"; done
}

# --- before anything is applied ---------------------------------------------

# GNOME's settings as a user had them: none of them the defaults, so that
# restoring them cannot pass by resetting.
gsettings set org.gnome.system.proxy mode 'auto'
gsettings set org.gnome.system.proxy ignore-hosts "['before.example']"
gsettings set org.gnome.system.proxy.http host 'before.example'
gsettings set org.gnome.system.proxy.http port 8080
gsettings set org.gnome.system.proxy.http authentication-user 'before-user'
gsettings set org.gnome.system.proxy.https host 'before-tls.example'
gsettings set org.gnome.system.proxy.https port 8444
gsettings set org.gnome.system.proxy.socks host 'before-socks.example'
gsettings set org.gnome.system.proxy.socks port 1081
gnome_before=$(gnome_settings)
ok "GNOME's settings are in the hermetic dconf database" test -s "$XDG_CONFIG_HOME/dconf/user"
is "$(gsettings get org.gnome.system.proxy.http host)" "'before.example'" "dconf reads back what was set"

g deactivate
is "$RC" 0 "deactivate with nothing recorded exits 0"
is "$(log_mark)" 0 "... and calls nothing on the systemd manager"
is "$(gnome_settings)" "$gnome_before" "... and leaves GNOME's settings alone"
ok "... and writes no session file" test ! -e "$session_file"

g status --json
is "$RC" 0 "status --json with nothing active exits 0"
is "$(json_get "$OUT" '[j["active"], j["session_file"], j["forwarder"], j["problems"]]')" \
   '[null, null, null, []]' "status --json: nothing active, no session file, no problems"
is "$(json_get "$OUT" '[k for k in ("systemd", "activation_environment", "gnome_proxy", "autostart") if j[k] == "applied"]')" \
   '[]' "status --json: nothing applied anywhere"
g status
is "$RC" 0 "status with nothing active exits 0"

# --- profiles --------------------------------------------------------------

g add office proxy.corp.example:3128 --username alice --no-proxy 'localhost,127.0.0.1,.corp.example' \
  --password-stdin < <(printf '%s\n' "$pw1")
is "$RC" 0 "add office"
g show office --json
is "$(json_get "$OUT" '[j["session_credentials"], j["gnome_proxy"]]')" '[false, false]' \
   "show --json: session_credentials and gnome_proxy default to false"
g add tunnel socks5h://socks.example:1080 --username bob --password-stdin < <(printf '%s\n' "$pw2")
is "$RC" 0 "add a socks5h profile"
g add spare http://spare.example:3128 --auth none </dev/null
is "$RC" 0 "add a profile without credentials"
g add later later.example:3128 --username carol --session-credentials yes </dev/null
is "$RC" 0 "add --session-credentials yes"
like "$ERR" 'disk' "... warns that the credentials will sit on disk"
g show later --json
is "$(json_get "$OUT" '[j["session_credentials"], j["gnome_proxy"], j["has_password"]]')" '[true, false, false]' \
   "show --json: session_credentials true"

g export office --format environment.d
office_envd=$OUT
g export office --format json
office_json=$OUT
# Profiles without a no-proxy list export no no_proxy.
g export tunnel --format json
tunnel_names=$(json_get "$OUT" 'sorted(j)')
is "$tunnel_names" '["ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY", "all_proxy", "http_proxy", "https_proxy"]' \
   "a socks profile exports all_proxy too"
g export spare --format json
spare_names=$(json_get "$OUT" 'sorted(j)')
like "$office_envd" "^http_proxy=http://alice:$pw1_enc@proxy.corp.example:3128\$" \
   "export --format environment.d (what the session file follows) percent-encodes the password"

# --- activate --------------------------------------------------------------

mark=$(log_mark)
g activate office
is "$RC" 0 "activate office exits 0"

ok "activate writes the session file" test -f "$session_file"
is "$(stat -c %a "$session_file" 2>/dev/null)" 600 "the session file is mode 0600"
is "$(cat "$session_file" 2>/dev/null)" "$(without_credentials "$office_envd")" \
   "the session file is export's environment.d lines, in order, without user:password@"
like "$(cat "$session_file" 2>/dev/null)" '^http_proxy=http://proxy.corp.example:3128$' \
   "... so http_proxy is the bare proxy URL"
like "$(cat "$session_file" 2>/dev/null)" '^NO_PROXY=localhost,127.0.0.1,.corp.example$' \
   "... with no_proxy in both cases"

is "$(log_since "$mark" SetEnvironment)" "$(assignments "$office_json")" \
   "the systemd manager gets SetEnvironment with export's variables, credentials included"
like "$(log_since "$mark" SetEnvironment)" "\"http_proxy=http://alice:$pw1_enc@proxy.corp.example:3128\"" \
   "... percent-encoded exactly as the contract says"
is "$(json_get "$(manager_env)" 'j.get("HTTPS_PROXY")')" "\"http://alice:$pw1_enc@proxy.corp.example:3128\"" \
   "the manager's environment now has them"

env_now=$(activation_env)
is "$(json_get "$env_now" 'j.get("http_proxy")')" "\"http://alice:$pw1_enc@proxy.corp.example:3128\"" \
   "a service the bus starts after activate gets http_proxy with the credentials"
is "$(json_get "$env_now" 'sorted(k + "=" + v for k, v in j.items() if k.lower().endswith("_proxy"))')" \
   "$(assignments "$office_json")" "... and every variable of export, no more"

ok "activate installs the autostart entry" test -f "$autostart"
like "$(grep '^Exec=' "$autostart" 2>/dev/null)" '--headless activate --login' \
   "the autostart entry runs activate --login"
ok "the autostart entry is a valid desktop entry" valid_desktop_entry "$autostart"
is "$(gnome_settings)" "$gnome_before" "without --gnome-proxy, GNOME's settings are left alone"

g status --json
is "$RC" 0 "status --json with a profile active exits 0"
is "$(json_get "$OUT" '[j["active"], j["apply"], j["session_file"]["path"] == a[0], j["session_file"]["credentials"],
                        j["session_file"]["state"], j["systemd"], j["activation_environment"], j["gnome_proxy"],
                        j["autostart"], j["forwarder"], j["problems"]]' "$session_file")" \
   '["office", "direct", true, false, "applied", "applied", "applied", "not-requested", "applied", null, []]' \
   "status --json says where the profile is applied"
g status
is "$RC" 0 "status exits 0"
like "$OUT" 'office' "status names the active profile"
like "$OUT" '60-gatepass\.conf|[Ss]ession file' "status has a line for the session file"
like "$OUT" '[Ss]ystemd' "status has a line for systemd"
like "$OUT" '[Aa]ctivation' "status has a line for the activation environment"
like "$OUT" 'GNOME|[Gg]nome' "status has a line for GNOME's settings"
like "$OUT" '[Aa]utostart' "status has a line for the autostart entry"
unlike "$OUT$ERR" "s3ss|$pw1_enc" "status never prints the password"

# --- changes to the active profile re-apply it ------------------------------

mark=$(log_mark)
g set-password office < <(printf '%s\n' "$pw3")
is "$RC" 0 "set-password on the active profile"
like "$(log_since "$mark" SetEnvironment)" "\"http_proxy=http://alice:$pw3_enc@proxy.corp.example:3128\"" \
   "... re-applies it: the systemd manager gets the new password"
is "$(json_get "$(activation_env)" 'j.get("http_proxy")')" "\"http://alice:$pw3_enc@proxy.corp.example:3128\"" \
   "... and so does a service started afterwards"
is "$(cat "$session_file" 2>/dev/null)" "$(without_credentials "$office_envd")" "the session file still has no credentials"

mark=$(log_mark)
g edit office --no-proxy 'localhost,127.0.0.1,.corp.example,intranet.example'
is "$RC" 0 "edit of the active profile"
like "$(cat "$session_file" 2>/dev/null)" '^no_proxy=localhost,127.0.0.1,.corp.example,intranet.example$' \
   "... re-applies it: the session file has the new no-proxy list"
like "$(log_since "$mark" SetEnvironment)" '"NO_PROXY=localhost,127.0.0.1,.corp.example,intranet.example"' \
   "... and so has the systemd manager"
g export office --format environment.d
office_envd=$OUT
g export office --format json
office_json=$OUT

session_file_may_hold_credentials=1
g edit office --session-credentials yes
is "$RC" 0 "edit --session-credentials yes"
like "$ERR" 'disk' "... warns that the credentials now sit on disk"
is "$(cat "$session_file" 2>/dev/null)" "$office_envd" \
   "... and the session file is now exactly export --format environment.d, credentials included"
is "$(stat -c %a "$session_file" 2>/dev/null)" 600 "... still mode 0600"
# The search itself finds a password where there is one.
is "$(session_file_may_hold_credentials=0 password_files)" "$session_file" \
   "the search for passwords on disk finds the one in the session file"
g status --json
is "$(json_get "$OUT" 'j["session_file"]["credentials"]')" true "status --json: the session file holds credentials"
g show office --json
is "$(json_get "$OUT" 'j["session_credentials"]')" true "show --json: session_credentials true"

session_file_may_hold_credentials=0
g edit office --session-credentials no
is "$RC" 0 "edit --session-credentials no"
is "$(cat "$session_file" 2>/dev/null)" "$(without_credentials "$office_envd")" \
   "... takes the credentials out of the session file at once"
g status --json
is "$(json_get "$OUT" 'j["session_file"]["credentials"]')" false "status --json: no credentials in the session file"

# --- deactivate ------------------------------------------------------------

mark=$(log_mark)
g deactivate
is "$RC" 0 "deactivate exits 0"
is "$(log_since "$mark" UnsetEnvironment)" "$names6" "deactivate unsets exactly the names activate had set"
is "$(json_get "$(manager_env)" 'sorted(j)')" '[]' "the manager's environment has none of them left"
is "$(json_get "$(activation_env)" '[j.get(k) for k in a]' http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY)" \
   '["", "", "", "", "", ""]' "a service started after deactivate gets each variable empty"
ok "deactivate removes the session file" test ! -e "$session_file"
ok "deactivate removes the autostart entry" test ! -e "$autostart"
g status --json
is "$(json_get "$OUT" '[j["active"], j["session_file"], j["problems"]]')" '[null, null, []]' \
   "status --json after deactivate: nothing active"

mark=$(log_mark)
g deactivate
is "$RC" 0 "a second deactivate exits 0"
is "$(log_mark)" "$mark" "... and calls nothing (nothing is recorded any more)"

# --- no stored password ----------------------------------------------------

mark=$(log_mark)
g activate later
is "$RC" 5 "activate of a profile whose password is not stored exits 5"
like "$ERR" 'set-password' "... and says how to store it"
is "$(grep '^http_proxy=' "$session_file" 2>/dev/null)" 'http_proxy=http://later.example:3128' \
   "... the session file is still written, without credentials"
like "$(log_since "$mark" SetEnvironment)" '"http_proxy=http://later.example:3128"' \
   "... the systemd manager gets the URLs without credentials"
is "$(json_get "$(activation_env)" 'j.get("HTTP_PROXY")')" '"http://later.example:3128"' \
   "... and so does the activation environment"
g status --json
is "$(json_get "$OUT" '[j["active"], j["session_file"]["state"], j["session_file"]["credentials"]]')" \
   '["later", "applied", false]' "status --json: the credential-free parts are applied"
like "$(json_get "$OUT" 'j["problems"]')" 'password' "status --json gives the reason: no password"

# --- switching -------------------------------------------------------------

mark=$(log_mark)
g activate tunnel
is "$RC" 0 "activate a socks profile while another is active"
like "$(cat "$session_file" 2>/dev/null)" '^all_proxy=socks5h://socks.example:1080$' \
   "the session file now has all_proxy, without credentials"
is "$(json_get "$(manager_env)" 'sorted(j)')" "$tunnel_names" "the manager has the socks profile's variables"
is "$(json_get "$(manager_env)" 'j.get("ALL_PROXY")')" "\"socks5h://bob:$pw2_enc@socks.example:1080\"" \
   "... ALL_PROXY with the short password, percent-encoded"
is "$(json_get "$(activation_env)" 'j.get("all_proxy")')" "\"socks5h://bob:$pw2_enc@socks.example:1080\"" \
   "a service started now gets all_proxy"

mark=$(log_mark)
g activate office
is "$RC" 0 "switch back to the http profile"
is "$(cat "$session_file" 2>/dev/null)" "$(without_credentials "$office_envd")" \
   "the session file is the http profile's, without all_proxy"
is "$(json_get "$(log_since "$mark" UnsetEnvironment)" '{"all_proxy", "ALL_PROXY"} <= set(j)')" true \
   "the systemd manager is told to unset all_proxy and ALL_PROXY"
is "$(json_get "$(manager_env)" 'sorted(j)')" "$names6" "the manager has the http profile's six variables"
is "$(json_get "$(activation_env)" '[j.get("all_proxy"), j.get("ALL_PROXY"), j.get("http_proxy")]')" \
   "[\"\", \"\", \"http://alice:$pw3_enc@proxy.corp.example:3128\"]" \
   "a service started now gets all_proxy empty and the http profile's http_proxy"

# --- the live state against the record ------------------------------------

rm -f "$session_file"
g status --json
is "$RC" 0 "status with the session file removed by hand exits 0"
is "$(json_get "$OUT" 'j["session_file"]["state"]')" '"missing"' "status --json: the session file is missing"
like "$(json_get "$OUT" 'j["problems"]')" 'removed' "... and a problem says it was removed"
g status
like "$OUT" 'removed' "human status says the session file was removed"

mark=$(log_mark)
g activate --login
is "$RC" 0 "activate --login re-applies the active profile"
is "$(cat "$session_file" 2>/dev/null)" "$(without_credentials "$office_envd")" "... the session file is back"
like "$(log_since "$mark" SetEnvironment)" "\"http_proxy=http://alice:$pw3_enc@proxy.corp.example:3128\"" \
   "... and the systemd manager gets the variables again"
g status --json
is "$(json_get "$OUT" '[j["session_file"]["state"], j["problems"]]')" '["applied", []]' \
   "status --json: applied again, no problem"

# --- remove of the active profile ------------------------------------------

g activate spare
is "$RC" 0 "activate a profile without credentials"
mark=$(log_mark)
g remove spare
is "$RC" 0 "remove the active profile"
is "$(log_since "$mark" UnsetEnvironment)" "$spare_names" "... deactivates it first: its variables are unset"
ok "... the session file is removed" test ! -e "$session_file"
ok "... the autostart entry is removed" test ! -e "$autostart"
g status --json
is "$(json_get "$OUT" 'j["active"]')" null "... and nothing is active"

# --- GNOME's proxy settings ------------------------------------------------

g edit office --gnome-proxy yes
is "$RC" 0 "edit --gnome-proxy yes of a profile that is not active"
is "$(gnome_settings)" "$gnome_before" "... applies nothing"
g show office --json
is "$(json_get "$OUT" 'j["gnome_proxy"]')" true "show --json: gnome_proxy true"

g activate office
is "$RC" 0 "activate a profile with --gnome-proxy yes"
is "$(gsettings get org.gnome.system.proxy mode)" "'manual'" "GNOME's proxy mode is manual"
is "$(gsettings get org.gnome.system.proxy.http host):$(gsettings get org.gnome.system.proxy.http port)" \
   "'proxy.corp.example':3128" "GNOME's HTTP proxy is the profile's"
is "$(gsettings get org.gnome.system.proxy.https host):$(gsettings get org.gnome.system.proxy.https port)" \
   "'proxy.corp.example':3128" "GNOME's HTTPS proxy is the profile's URL (it has no separate one)"
ignore=$(gsettings get org.gnome.system.proxy ignore-hosts | tr "'" '"')
is "$(json_get "$ignore" '["localhost" in j, "127.0.0.1" in j, any(h.endswith("corp.example") for h in j),
                            any(h.endswith("intranet.example") for h in j), "before.example" in j]')" \
   '[true, true, true, true, false]' "GNOME's ignore-hosts is the profile's no-proxy list"
is "$(gsettings get org.gnome.system.proxy.http use-authentication) $(gsettings get org.gnome.system.proxy.http authentication-user) $(gsettings get org.gnome.system.proxy.http authentication-password)" \
   "false 'before-user' ''" "GNOME's authentication keys are never written"
g status --json
is "$(json_get "$OUT" 'j["gnome_proxy"]')" '"applied"' "status --json: GNOME's settings applied"

# (An http:// one: GNOME's settings cannot say that a proxy speaks TLS.)
g edit office --https-proxy http://secure.example:8443
is "$RC" 0 "edit the active profile's HTTPS proxy"
is "$(gsettings get org.gnome.system.proxy.https host):$(gsettings get org.gnome.system.proxy.https port)" \
   "'secure.example':8443" "... re-applies it: GNOME's HTTPS proxy is the separate one"
is "$(gsettings get org.gnome.system.proxy.http host):$(gsettings get org.gnome.system.proxy.http port)" \
   "'proxy.corp.example':3128" "... and its HTTP proxy stays the main URL"
g export office --format environment.d
office_envd=$OUT

g deactivate
is "$RC" 0 "deactivate"
is "$(gnome_settings)" "$gnome_before" "deactivate puts back exactly the GNOME settings there were before"

g activate office
is "$(gsettings get org.gnome.system.proxy.http port)" 3128 "activate again sets GNOME's HTTP port"
gsettings set org.gnome.system.proxy.http port 9999
g deactivate
is "$(gsettings get org.gnome.system.proxy.http port)" 9999 "a key the user changed since activate is left as set"
is "$(gsettings get org.gnome.system.proxy mode) $(gsettings get org.gnome.system.proxy.http host)" \
   "'auto' 'before.example'" "... while the others are put back"
gsettings set org.gnome.system.proxy.http port 8080
is "$(gnome_settings)" "$gnome_before" "... all of them"

g edit tunnel --gnome-proxy yes
g activate tunnel
is "$RC" 0 "activate a socks profile with --gnome-proxy yes"
is "$(gsettings get org.gnome.system.proxy mode)" "'manual'" "GNOME's proxy mode is manual"
is "$(gsettings get org.gnome.system.proxy.socks host):$(gsettings get org.gnome.system.proxy.socks port)" \
   "'socks.example':1080" "GNOME's SOCKS proxy is the profile's"
g deactivate
is "$(gnome_settings)" "$gnome_before" "deactivate puts GNOME's settings back"

# Switching replaces what the previous profile applied; what deactivate
# puts back is still what the user had, not the previous profile's values.
g activate office
g activate tunnel
is "$(gsettings get org.gnome.system.proxy.socks host)" "'socks.example'" \
   "switching between two --gnome-proxy profiles applies the second"
g deactivate
is "$(gnome_settings)" "$gnome_before" "... and deactivate then puts back the settings from before the first"
g add spare http://spare.example:3128 --auth none </dev/null
g activate office
g activate spare
is "$RC" 0 "switch from a --gnome-proxy profile to one without"
is "$(gnome_settings)" "$gnome_before" "... puts GNOME's settings back"
g deactivate

# --- a profile with its own CA ------------------------------------------------
ca_pem=${GATEPASS_TESTS_SRCDIR:-$(dirname "$0")}/data/ca/ca.pem
g add inspected http://inspect.example:3128 --auth none --ca-file "$ca_pem" </dev/null
is "$RC" 0 "add a profile with --ca-file"
g show inspected --json
inspected_id=$(json_get "$OUT" 'j["id"]' | tr -d '"')
ca_bundle="$XDG_DATA_HOME/gatepass/ca/$inspected_id-bundle.pem"
mark=$(log_mark)
g activate inspected
is "$RC" 0 "activate the profile with a CA"
ok "... builds its CA bundle" test -s "$ca_bundle"
for name in CURL_CA_BUNDLE REQUESTS_CA_BUNDLE SSL_CERT_FILE NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO; do
  like "$(cat "$session_file" 2>/dev/null)" "^$name=$ca_bundle\$" "the session file has $name, the profile's bundle"
done
like "$(log_since "$mark" SetEnvironment)" "\"SSL_CERT_FILE=$ca_bundle\"" \
   "the systemd manager gets the CA variables too"
mark=$(log_mark)
g edit inspected --ca-file ''
is "$RC" 0 "edit --ca-file '' of the active profile"
unlike "$(cat "$session_file" 2>/dev/null)" "CA_BUNDLE|SSL_CERT_FILE|NODE_EXTRA_CA_CERTS|GIT_SSL_CAINFO" \
   "... re-applies it: the session file has no CA variable left"
like "$(log_since "$mark" UnsetEnvironment)" '"CURL_CA_BUNDLE"' "... and the manager unsets them"
ok "... and the bundle is gone" test ! -e "$ca_bundle"
g deactivate
g remove inspected </dev/null

# --- without the systemd manager -------------------------------------------

ok "the systemd stand-in stops" stop_standin "$GP_SYSTEMD_STANDIN_PID"
g activate office
is "$RC" 0 "activate without a systemd manager on the bus still exits 0"
is "$(printf '%s\n' "$ERR" | grep -ci 'systemd')" 1 "... and says so once"
is "$(cat "$session_file" 2>/dev/null)" "$(without_credentials "$office_envd")" "... the session file is written"
is "$(json_get "$(activation_env)" 'j.get("http_proxy")')" "\"http://alice:$pw3_enc@proxy.corp.example:3128\"" \
   "... and the activation environment has the credentials"
is "$(gsettings get org.gnome.system.proxy mode)" "'manual'" "... and GNOME's settings are applied"
g status --json
is "$RC" 0 "status --json without a systemd manager exits 0"
is "$(json_get "$OUT" '[j["systemd"], j["activation_environment"], j["gnome_proxy"], j["autostart"], j["session_file"]["state"]]')" \
   '["unavailable", "applied", "applied", "applied", "applied"]' "status --json: only systemd is unavailable"
is "$(printf '%s\n' "$ERR" | grep -ci 'systemd')" 1 "... with the reason on stderr, once"
ok "nothing asked the bus to start org.freedesktop.systemd1" test ! -e "$GP_SYSTEMD_AUTOSTARTED"
g deactivate
is "$RC" 0 "deactivate without a systemd manager exits 0"
ok "... removes the session file" test ! -e "$session_file"
is "$(gnome_settings)" "$gnome_before" "... and puts GNOME's settings back"
ok "still nothing started org.freedesktop.systemd1" test ! -e "$GP_SYSTEMD_AUTOSTARTED"
ok "a new systemd stand-in starts" start_standin

# --- a locked keyring ------------------------------------------------------

ok "the keyring is locked" "$GP_TEST_KEYRING_TOOL" lock
mark=$(log_mark)
g activate office
is "$RC" 3 "activate with the keyring locked exits 3"
is "$(grep '^http_proxy=' "$session_file" 2>/dev/null)" 'http_proxy=http://proxy.corp.example:3128' \
   "... the session file is still written"
like "$(log_since "$mark" SetEnvironment)" '"http_proxy=http://proxy.corp.example:3128"' \
   "... the systemd manager gets the URLs without credentials"
g status --json
like "$(json_get "$OUT" 'j["problems"]')" '[Kk]eyring|[Ll]ocked' "status --json gives the reason: the keyring"
ok "the keyring is unlocked" "$GP_TEST_KEYRING_TOOL" unlock
mark=$(log_mark)
g activate --login
is "$RC" 0 "activate --login once the keyring is unlocked"
like "$(log_since "$mark" SetEnvironment)" "\"http_proxy=http://alice:$pw3_enc@proxy.corp.example:3128\"" \
   "... gives the systemd manager the credentials"
g deactivate
is "$(gnome_settings)" "$gnome_before" "deactivate puts GNOME's settings back"

# --- killed in the middle of activate --------------------------------------

# A manager that never answers SetEnvironment: activate has written the
# session file and GNOME's settings and waits; kill -9 it there.
stop_standin "${standin_pids[-1]}"
ok "a systemd stand-in that never answers SetEnvironment starts" start_standin --hang-on-set
mark=$(log_mark)
"$GATEPASS" --headless activate office >/dev/null 2>&1 &
activate_pid=$!
for _ in $(seq 200); do
  kill -0 "$activate_pid" 2>/dev/null || break
  [ -e "$session_file" ] && [ "$(gsettings get org.gnome.system.proxy mode)" = "'manual'" ] &&
    [ "$(log_since "$mark" SetEnvironment)" != '[]' ] && break
  sleep 0.05
done
is "$(gsettings get org.gnome.system.proxy mode)" "'manual'" "activate in flight has set GNOME's mode"
ok "... and is still waiting for the systemd manager when killed" kill -9 "$activate_pid"
wait "$activate_pid" 2>/dev/null
no_password_on_disk "activate killed with -9"

g deactivate
is "$RC" 0 "deactivate after activate was killed"
is "$(gnome_settings)" "$gnome_before" "... puts GNOME's settings back"
ok "... removes the session file" test ! -e "$session_file"
ok "... leaves no autostart entry" test ! -e "$autostart"
g status --json
is "$(json_get "$OUT" '[j["active"], j["session_file"]]')" '[null, null]' "... and nothing is active"

# --- the record, not profiles.ini ------------------------------------------

g activate tunnel
is "$RC" 0 "activate tunnel"
# A profiles file with no profile at all (as after a restore from an old
# backup): deactivate still undoes what was applied.
: > "$XDG_CONFIG_HOME/gatepass/profiles.ini"
mark=$(log_mark)
g deactivate
is "$RC" 0 "deactivate with the profile gone from profiles.ini exits 0"
is "$(log_since "$mark" UnsetEnvironment)" "$tunnel_names" "... unsets the names the record has"
is "$(json_get "$(activation_env)" 'j.get("all_proxy")')" '""' "... empties them in the activation environment"
is "$(gnome_settings)" "$gnome_before" "... puts GNOME's settings back"
ok "... removes the session file" test ! -e "$session_file"
ok "... and the autostart entry" test ! -e "$autostart"

# --- clear-stale: the systemd manager's copy ---------------------------------
# A password changed behind Gatepass's back (another tool wrote the keyring
# item): the manager's environment, read from its Environment property,
# still holds the old one. clear-stale finds it there and applies the
# profile again, which gives the manager the keyring's current one.

pw5='n3w:Pass/5'
pw5_enc='n3w%3APass%2F5'
add_secret alice "$pw5" "$pw5_enc" n3w
# profiles.ini was emptied above: a profile of its own.
g add copier http://proxy.corp.example:3128 --username alice --password-stdin < <(printf '%s\n' "$pw3")
g activate copier
is "$RC" 0 "activate copier"
gp show copier --json
office_id=$(json_get "$OUT" 'j["id"]' | tr -d '"')
copied=$(json_get "$(manager_env)" 'j["http_proxy"]')
is "$copied" "\"http://alice:$pw3_enc@proxy.corp.example:3128\"" "the manager got its credentials"
printf '%s' "$pw5" | secret-tool store --label changed xdg:schema io.github.gatepass.Profile \
  profile "$office_id" username alice
g clear-stale --dry-run --json
is "$RC" 0 "clear-stale --dry-run with a changed password"
is "$(json_get "$OUT" '[(f["kind"], f["action"]) for f in j["findings"] if f["location"] == "systemd"]')" \
   '[["session-copy", "would-remove"]]' "... finds the old copy in the systemd manager's environment"
is "$(json_get "$(manager_env)" 'j["http_proxy"]')" "$copied" "... and --dry-run leaves it there"
mark=$(log_mark)
g clear-stale --json
is "$(json_get "$OUT" '[f["action"] for f in j["findings"] if f["location"] == "systemd"]')" '["removed"]' \
   "clear-stale removes it"
like "$(log_since "$mark" SetEnvironment)" "\"http_proxy=http://alice:$pw5_enc@proxy.corp.example:3128\"" \
   "... by giving the manager the keyring's current password"
g clear-stale --dry-run --json
is "$(json_get "$OUT" '[f for f in j["findings"] if f["kind"] == "session-copy"]')" '[]' "then no session copy is stale"
g deactivate

# --- inside the Flatpak (GP_TEST_SANDBOX=flatpak) ----------------------------
# gatepass behaves as inside the sandbox (shared/CLI.md, "In the Flatpak"):
# the session file is the host's ~/.config/environment.d/60-gatepass.conf
# whatever XDG_CONFIG_HOME says (here a folder outside the home); the
# systemd manager, the activation environment, GNOME's settings on the
# host, the autostart entry and the user's files are unavailable: sandbox,
# and not even asked (the stand-in now logs reads of its Environment too).

sandbox_autostart="$HOME/.config/autostart/io.github.gatepass.Gatepass-login.desktop"
pw6='sAndb0x:pw/6'
pw6_enc='sAndb0x%3Apw%2F6'
add_secret dave "$pw6" "$pw6_enc" sAndb0x
# sb ARGS...: g, inside the (test) sandbox.
sb() { GP_TEST_SANDBOX=flatpak g "$@"; }

is "${sandbox_session_file%/.config/*}" "$HOME" "the host's environment.d is under the home"
ok "... and XDG_CONFIG_HOME points elsewhere" test "$XDG_CONFIG_HOME" != "$HOME/.config"
g status --json
is "$(json_get "$OUT" '"reasons" in j')" false "on the host, status --json has no reasons member"

stop_standin "${standin_pids[-1]}"
ok "a systemd stand-in that logs reads too starts" start_standin --log-reads
# What the sandbox must leave alone: a GNOME password in plain text and a
# credentialed URL in ~/.bashrc (the host finds both, below).
gsettings set org.gnome.system.proxy.http authentication-password 'gn0me-plain'
printf '%s\n' 'export http_proxy=http://erin:b4shrc-pw@proxy.example:3128' >"$HOME/.bashrc"
bashrc_before=$(cat "$HOME/.bashrc")
gnome_sandbox_before=$(gnome_settings)
g clear-stale --dry-run --json
is "$(json_get "$OUT" 'sorted({f["kind"] for f in j["findings"]} & {"gnome-settings-password", "environment-copy"})')" \
   '["environment-copy", "gnome-settings-password"]' "on the host, clear-stale finds both (the control)"

sb add sandboxed http://sandboxed.example:3128 --username dave --gnome-proxy yes --password-stdin \
  < <(printf '%s\n' "$pw6")
is "$RC" 0 "in the sandbox: add a profile with --gnome-proxy yes"
mark=$(log_mark)
sb activate sandboxed
is "$RC" 0 "in the sandbox: activate exits 0"
like "$ERR" 'sandbox' "... and says what the sandbox cannot reach"
ok "... writes the session file at \$HOME/.config/environment.d/60-gatepass.conf" test -f "$sandbox_session_file"
is "$(grep '^http_proxy=' "$sandbox_session_file" 2>/dev/null)" 'http_proxy=http://sandboxed.example:3128' \
   "... with the profile's URL, without credentials"
is "$(stat -c %a "$sandbox_session_file" 2>/dev/null)" 600 "... mode 0600"
ok "... and none under XDG_CONFIG_HOME" test ! -e "$session_file"
ok "... installs no autostart entry under XDG_CONFIG_HOME" test ! -e "$autostart"
ok "... nor under \$HOME/.config" test ! -e "$sandbox_autostart"
is "$(log_since "$mark" SetEnvironment)$(log_since "$mark" UnsetEnvironment)$(log_since "$mark" Get)" '[][][]' \
   "... makes no call to the systemd manager"
is "$(log_mark)" "$mark" "... not one (the stand-in's log did not grow)"
is "$(json_get "$(activation_env)" 'j.get("http_proxy")')" '""' \
   "... and the activation environment did not get its variables"
is "$(gnome_settings)" "$gnome_sandbox_before" "... nor GNOME's settings"
ok "... nothing asked the bus to start org.freedesktop.systemd1" test ! -e "$GP_SYSTEMD_AUTOSTARTED"

mark=$(log_mark)
sb status --json
is "$RC" 0 "in the sandbox: status --json exits 0"
is "$(json_get "$OUT" '[j["active"], j["session_file"]["path"] == a[0], j["session_file"]["state"]]' "$sandbox_session_file")" \
   '["sandboxed", true, "applied"]' "... the session file is the host's, applied"
is "$(json_get "$OUT" '[j[k] for k in ("systemd", "activation_environment", "gnome_proxy", "autostart")]')" \
   '["unavailable", "unavailable", "unavailable", "unavailable"]' \
   "... the systemd manager, the activation environment, GNOME's settings and the autostart entry are unavailable"
is "$(json_get "$OUT" 'j.get("reasons")')" \
   '{"systemd": "sandbox", "activation_environment": "sandbox", "gnome_proxy": "sandbox", "autostart": "sandbox"}' \
   "... each with the reason sandbox"
like "$ERR" 'sandbox' "... with the reason on stderr"
is "$(log_mark)" "$mark" "... and status asks the systemd manager nothing"
sb status
like "$OUT" 'systemd user manager: unavailable: sandbox' "in the sandbox: human status says unavailable: sandbox"

mark=$(log_mark)
sb clear-stale --json
is "$RC" 0 "in the sandbox: clear-stale exits 0"
is "$(json_get "$OUT" '[f["kind"] for f in j["findings"] if f["kind"] in ("gnome-settings-password", "environment-copy")]')" \
   '[]' "... finds nothing in GNOME's settings or the user's files (it cannot look there)"
is "$(json_get "$OUT" '[[u["kind"], u["location"], u["reason"]] for u in j.get("unavailable", [])
                        if u["location"] in ("gnome-settings", "systemd", "activation-environment", a[0])]' "$HOME/.bashrc")" \
   "[[\"gnome-settings-password\", \"gnome-settings\", \"sandbox\"], [\"session-copy\", \"systemd\", \"sandbox\"], [\"session-copy\", \"activation-environment\", \"sandbox\"], [\"environment-copy\", \"$HOME/.bashrc\", \"sandbox\"]]" \
   "... and reports each kind it cannot reach as unavailable: sandbox"
is "$(json_get "$OUT" 'sorted({u["reason"] for u in j["unavailable"]} | {u["kind"] for u in j["unavailable"] if u["kind"] == "environment-copy" and u["location"] == "/etc/environment"})')" \
   '["environment-copy", "sandbox"]' "... /etc/environment too, and no other reason"
is "$(gsettings get org.gnome.system.proxy.http authentication-password)" "'gn0me-plain'" \
   "... leaves GNOME's plaintext password alone"
is "$(cat "$HOME/.bashrc")" "$bashrc_before" "... and ~/.bashrc"
is "$(log_mark)" "$mark" "... and asks the systemd manager nothing"
sb clear-stale
like "$OUT" 'unavailable: sandbox: gnome-settings-password' "in the sandbox: human clear-stale says unavailable: sandbox"

# The session file is within reach: a stale copy there is found and
# replaced, still without a call to the systemd manager.
pw7='l4ter:Pw/7'
pw7_enc='l4ter%3APw%2F7'
add_secret dave "$pw7" "$pw7_enc" l4ter
session_file_may_hold_credentials=1
sb edit sandboxed --session-credentials yes
is "$RC" 0 "in the sandbox: edit --session-credentials yes re-applies the active profile"
is "$(grep '^http_proxy=' "$sandbox_session_file" 2>/dev/null)" "http_proxy=http://dave:$pw6_enc@sandboxed.example:3128" \
   "... the host's session file has the credentials"
gp show sandboxed --json
sandboxed_id=$(json_get "$OUT" 'j["id"]' | tr -d '"')
printf '%s' "$pw7" | secret-tool store --label changed xdg:schema io.github.gatepass.Profile \
  profile "$sandboxed_id" username dave
mark=$(log_mark)
sb clear-stale --dry-run --json
is "$(json_get "$OUT" '[[f["kind"], f["action"]] for f in j["findings"] if f["location"] == a[0]]' "$sandbox_session_file")" \
   '[["session-copy", "would-remove"]]' "in the sandbox: clear-stale finds the old copy in the host's session file"
sb clear-stale --json
is "$(json_get "$OUT" '[f["action"] for f in j["findings"] if f["location"] == a[0]]' "$sandbox_session_file")" \
   '["removed"]' "... and removes it"
is "$(grep '^http_proxy=' "$sandbox_session_file" 2>/dev/null)" "http_proxy=http://dave:$pw7_enc@sandboxed.example:3128" \
   "... by writing the keyring's current password there"
is "$(log_mark)" "$mark" "... with no call to the systemd manager"
sb edit sandboxed --session-credentials no
session_file_may_hold_credentials=0
is "$(grep '^http_proxy=' "$sandbox_session_file" 2>/dev/null)" 'http_proxy=http://sandboxed.example:3128' \
   "in the sandbox: edit --session-credentials no takes them out of the host's session file"

mark=$(log_mark)
sb deactivate
is "$RC" 0 "in the sandbox: deactivate exits 0"
ok "... removes the host's session file" test ! -e "$sandbox_session_file"
is "$(log_mark)" "$mark" "... and calls nothing on the systemd manager"
is "$(gnome_settings)" "$gnome_sandbox_before" "... nor changes GNOME's settings"
gsettings reset org.gnome.system.proxy.http authentication-password
rm -f "$HOME/.bashrc"

done_testing
