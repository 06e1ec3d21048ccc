#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/flatpak/local-runtime.sh WORKDIR REPO
#
# Assembles a Flatpak runtime and SDK from this machine's Debian 12
# packages, for building and running Gatepass where Flathub (and with it
# org.gnome.Platform) is out of reach, and exports them to the OSTree
# repository REPO:
#
#   runtime/io.github.gatepass.LocalPlatform/x86_64/49
#   runtime/io.github.gatepass.LocalSdk/x86_64/49
#
# Each one is the files of a package closure (dpkg -L), with /usr/... and
# /lib/... copied to files/... (in the sandbox, /usr is the runtime's files
# and /lib is a link to /usr/lib) and /etc/... to files/etc/...; then the
# caches that Debian's triggers make (GSettings schemas, gdk-pixbuf loaders,
# GIO modules, icon themes, MIME database) are generated for the copy.
#
# Nothing is done when both refs are in REPO and were made from the same
# package versions by the same version of this script (WORKDIR/runtime.stamp).
set -euo pipefail

workdir=$1
repo=$2
arch=$(flatpak --default-arch)
branch=49
platform_id=io.github.gatepass.LocalPlatform
sdk_id=io.github.gatepass.LocalSdk

say() { printf 'local-runtime: %s\n' "$*" >&2; }

# What Gatepass needs at run time: the libraries, TLS for libsoup (and the
# CA certificates), fonts, icons, image loaders (SVG icons), MIME data,
# and a shell and coreutils for scripts. libc-bin has ldconfig and C.utf8.
platform_packages=(
  libc6 libc-bin dash bash coreutils
  libglib2.0-0 libgtk-4-1 libgtk-4-common libadwaita-1-0 libsoup-3.0-0 libsecret-1-0
  libjson-glib-1.0-0 glib-networking ca-certificates
  fontconfig fontconfig-config fonts-dejavu-core
  adwaita-icon-theme hicolor-icon-theme libgdk-pixbuf-2.0-0 librsvg2-common shared-mime-info
)
# Fonts GNOME uses where they are installed.
for opt in fonts-cantarell; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$opt" 2>/dev/null | grep -q '^ii' && platform_packages+=("$opt")
done
# The SDK: the platform, and what the manifest's meson build runs: the
# compiler, meson and ninja, the headers, i18n, the checks that data/ and
# tests/ find at configure time, and what flatpak-builder runs in it:
# appstream-compose, eu-strip and eu-elfcompress.
sdk_packages=(
  "${platform_packages[@]}"
  gcc libc6-dev pkg-config meson ninja-build python3 python3-gi
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin libgtk-4-dev libgtk-4-bin libadwaita-1-dev
  libsoup-3.0-dev libsecret-1-dev libjson-glib-dev gettext
  desktop-file-utils appstream appstream-util libxml2-utils
  elfutils findutils grep sed gawk tar gzip diffutils
)

# closure PACKAGE...: the installed packages these depend on, recursively
# ("PACKAGE VERSION" lines). A virtual package (<libsysprof-capture-4-dev>)
# counts through its installed providers, which `apt-cache depends
# --recurse --installed` leaves out: hence a walk of our own.
closure() {
  python3 - "$@" <<'PY'
import re, subprocess, sys
inst = dict(l.split()[1:3] for l in subprocess.run(
    ["dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Package} ${Version}\\n"],
    capture_output=True, text=True).stdout.splitlines() if l.startswith("ii"))
want = set(a for a in sys.argv[1:] if a in inst)
todo = set(want)
while todo:
    out = subprocess.run(["apt-cache", "depends", "--no-recommends", "--no-suggests",
                          "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"] + sorted(todo),
                         capture_output=True, text=True).stdout
    # Of "A | B" (|Depends: A, then Depends: B) or a virtual package's
    # providers (indented under it), the first one installed.
    found, done, alt = set(), False, False
    for line in out.splitlines():
        m = re.match(r"^(\s*)(\|?)((?:Pre)?Depends:\s*)?<?([^\s<>:]+)", line)
        if not m:
            continue
        indent, bar, dep, name = m.groups()
        if not indent:
            continue
        if dep:
            if not alt:
                done = False
            alt = bool(bar)
        if not done and name in inst:
            found.add(name)
            done = True
    todo = found - want
    want |= found
for p in sorted(want):
    print(p, inst[p])
PY
}

# assemble DIR ID PACKAGES_FILE: DIR/files and DIR/metadata of runtime ID.
assemble() {
  local dir=$1 id=$2 pkgfile=$3 files=$1/files
  rm -rf "$dir"
  mkdir -p "$files"
  # The file list: no directories (tar makes the parents), nothing outside
  # /usr, /lib*, /bin, /sbin, /etc, no documentation or translations; one
  # source per destination (/lib/x and /usr/lib/x are the same file).
  { cut -d' ' -f1 "$pkgfile" | xargs dpkg -L 2>/dev/null || true; } | python3 -c '
import os, sys
seen = set()
skip = ("usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/",
        "usr/share/lintian/", "usr/share/bug/", "usr/share/help/", "usr/share/gtk-doc/")
for line in sys.stdin:
    p = line.rstrip("\n")
    if not p.startswith("/"):
        continue
    rel = p[1:]
    top = rel.split("/", 1)[0]
    if top not in ("usr", "lib", "lib64", "bin", "sbin", "etc") or "/" not in rel:
        continue
    if rel.startswith(skip) or not os.path.lexists(p):
        continue
    if os.path.isdir(p) and not os.path.islink(p):
        continue
    dest = rel[4:] if rel.startswith("usr/") else rel
    if dest in seen:
        continue
    seen.add(dest)
    print(rel)
' >"$dir/filelist"
  # Member names lose usr/; link targets stay (/usr/... is the runtime there).
  tar -C / --no-recursion -cf - -T "$dir/filelist" --transform 's,^usr/,,S' |
    tar -C "$files" -xf -

  local multiarch
  multiarch=$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
  local lib=$files/lib/$multiarch

  # The CA bundle is made by update-ca-certificates, not shipped.
  mkdir -p "$files/etc/ssl/certs"
  cp -L /etc/ssl/certs/ca-certificates.crt "$files/etc/ssl/certs/"
  # flatpak runs ldconfig to make the sandbox's ld.so.cache.
  [ -e "$files/bin/ldconfig" ] || ln -s ../sbin/ldconfig "$files/bin/ldconfig"
  # The caches of Debian's triggers, for the runtime's own files.
  glib-compile-schemas "$files/share/glib-2.0/schemas"
  local loaders=$lib/gdk-pixbuf-2.0/2.10.0
  if [ -d "$loaders/loaders" ]; then
    "/usr/lib/$multiarch/gdk-pixbuf-2.0/gdk-pixbuf-query-loaders" "$loaders"/loaders/*.so |
      sed "s|$files/|/usr/|g" >"$loaders/loaders.cache"
  fi
  [ -d "$lib/gio/modules" ] && "/usr/lib/$multiarch/glib-2.0/gio-querymodules" "$lib/gio/modules"
  local theme
  for theme in "$files"/share/icons/*/; do
    [ -f "$theme/index.theme" ] && gtk4-update-icon-cache -q -f -t "$theme" || true
  done
  [ -d "$files/share/mime/packages" ] && update-mime-database "$files/share/mime" >/dev/null 2>&1
  [ -d "$files/share/fonts" ] && fc-cache -s -y "$files" >/dev/null 2>&1 || true

  cat >"$dir/metadata" <<META
[Runtime]
name=$id
runtime=$platform_id/$arch/$branch
sdk=$sdk_id/$arch/$branch
META
  rm -f "$dir/filelist"
}

mkdir -p "$workdir"
closure "${platform_packages[@]}" >"$workdir/platform.packages.new"
closure "${sdk_packages[@]}" >"$workdir/sdk.packages.new"
stamp=$( { sha256sum "$0" | cut -d' ' -f1; cat "$workdir/platform.packages.new" "$workdir/sdk.packages.new"; } | sha256sum | cut -d' ' -f1)

if [ -f "$workdir/runtime.stamp" ] && [ "$(cat "$workdir/runtime.stamp")" = "$stamp" ] &&
   [ -f "$repo/refs/heads/runtime/$platform_id/$arch/$branch" ] &&
   [ -f "$repo/refs/heads/runtime/$sdk_id/$arch/$branch" ]; then
  say "$platform_id and $sdk_id are up to date"
  rm -f "$workdir"/*.packages.new
  exit 0
fi

for kind in platform sdk; do
  mv -f "$workdir/$kind.packages.new" "$workdir/$kind.packages"
  if [ "$kind" = platform ]; then id=$platform_id; else id=$sdk_id; fi
  say "assembling $id from $(wc -l <"$workdir/$kind.packages") Debian packages"
  assemble "$workdir/$kind" "$id" "$workdir/$kind.packages"
  say "exporting $id ($(du -sh "$workdir/$kind/files" | cut -f1))"
  flatpak build-export --runtime --files=files --no-update-summary "$repo" "$workdir/$kind" "$branch" >/dev/null
  rm -rf "$workdir/$kind"
done
flatpak build-update-repo "$repo" >/dev/null
printf '%s\n' "$stamp" >"$workdir/runtime.stamp"
