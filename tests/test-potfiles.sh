#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# po/POTFILES.in must list every source file with translatable strings, or
# those strings silently never reach translators; and every file it lists
# must exist, or xgettext (and so `ninja gatepass-pot`) fails.
#
# Translatable means: `_(`, `N_(`, `C_(`, `NC_(`, `Q_(` or an ngettext-style
# call in a .c under src/; translatable="yes" in a .ui under src/; and under
# data/ every .desktop.in, .metainfo.xml.in and .gschema.xml (their strings
# are translatable by default), plus any .in or .xml marked like a .ui.

. "$GATEPASS_TESTS_SRCDIR/tap.sh"

# translatable_files ROOT: prints the paths (relative to ROOT) that hold
# translatable strings, sorted.
translatable_files() {
  local root=$1
  (
    cd "$root" || exit 1
    if [ -d src ]; then
      find src -type f -name '*.c' -print0 |
        xargs -0 -r grep -lE '(^|[^A-Za-z0-9_])((N|C|NC|Q)?_|ngettext|g_dngettext|g_dpgettext2?|g_dcgettext)[[:space:]]*\('
      find src -type f -name '*.ui' -print0 |
        xargs -0 -r grep -lE 'translatable="(yes|true|1)"'
    fi
    if [ -d data ]; then
      find data -type f \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \
                           -o -name '*.appdata.xml.in' -o -name '*.gschema.xml' \)
      find data -type f \( -name '*.in' -o -name '*.xml' \) -print0 |
        xargs -0 -r grep -lE 'translatable="(yes|true|1)"'
    fi
  ) | LC_ALL=C sort -u
}

# potfiles_entries ROOT: prints the files po/POTFILES.in lists, sorted;
# comments, blank lines and `[type: ...]` prefixes are dropped.
potfiles_entries() {
  sed -e 's/#.*//' -e 's/^[[:space:]]*\[[^]]*\][[:space:]]*//' \
      -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$1/po/POTFILES.in" |
    grep -v '^$' | LC_ALL=C sort -u
}

# unlisted ROOT: translatable files missing from POTFILES.in.
unlisted() {
  LC_ALL=C comm -23 <(translatable_files "$1") <(potfiles_entries "$1")
}

# missing ROOT: POTFILES.in entries that are not files.
missing() {
  local f
  potfiles_entries "$1" | while IFS= read -r f; do
    [ -f "$1/$f" ] || printf '%s\n' "$f"
  done
}

# check ROOT: the two TAP results for one tree.
check() {
  local out
  out=$(unlisted "$1")
  ok "po/POTFILES.in lists every file with translatable strings" test -z "$out"
  [ -z "$out" ] || diag "add these to po/POTFILES.in:" "$out"
  out=$(missing "$1")
  ok "every file po/POTFILES.in lists exists" test -z "$out"
  [ -z "$out" ] || diag "these are listed in po/POTFILES.in but do not exist:" "$out"
}

root=$(cd "$GATEPASS_TESTS_SRCDIR/.." && pwd)

ok "po/POTFILES.in exists" test -f "$root/po/POTFILES.in"
found=$(translatable_files "$root")
ok "the scan finds C sources with strings (src/main.c)" grep -qxF src/main.c <<<"$found"
ok "the scan finds data files (the .desktop.in)" \
  grep -qxF "data/io.github.gatepass.Gatepass.desktop.in" <<<"$found"
check "$root"

# The checker itself, on a small tree with known faults: a test that cannot
# fail proves nothing.
fake="$GATEPASS_TEST_TMPDIR/potfiles-tree"
mkdir -p "$fake/po" "$fake/src/ui" "$fake/data"
printf 'g_print (_("Hello"));\n' > "$fake/src/listed.c"
printf 'label = C_("verb", "Open");\n' > "$fake/src/context.c"
printf 'g_print ("%%s", N_ ("spaced"));\n' > "$fake/src/spaced.c"
printf 'static void do_it_(void);\nfoo_(1); g_print ("no strings");\n' > "$fake/src/plain.c"
printf '<property name="label" translatable="yes">Save</property>\n' > "$fake/src/ui/window.ui"
printf '<property name="icon-name">go-up</property>\n' > "$fake/src/ui/plain.ui"
printf '[Desktop Entry]\nName=X\n' > "$fake/data/x.desktop.in"
printf '[D-BUS Service]\nName=x\n' > "$fake/data/x.service.in"
printf '<gresources/>\n' > "$fake/data/x.gresource.xml"
cat > "$fake/po/POTFILES.in" <<'EOF'
# a comment
src/listed.c

[type: gettext/glade]src/ui/window.ui
src/gone.c
EOF

is "$(unlisted "$fake")" "data/x.desktop.in
src/context.c
src/spaced.c" "self-check: finds exactly the unlisted files (C_, N_ with a space, .desktop.in)"
is "$(missing "$fake")" "src/gone.c" "self-check: finds exactly the listed file that does not exist"

done_testing
