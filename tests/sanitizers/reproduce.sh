#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/sanitizers/reproduce.sh NAME: builds tests/sanitizers/NAME.c with
# ASan+UBSan (no Gatepass code linked) and runs it in a hermetic session bus
# with a real gnome-keyring (tests/keyring-session.sh), without
# suppressions, so that LeakSanitizer shows the library leak that
# tests/sanitizers/lsan.supp suppresses. Full stacks: fast_unwind_on_malloc=0.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?Usage: $0 NAME (a .c file in tests/sanitizers/)}
pkgs=${PKGS:-libsecret-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2046
gcc -fsanitize=address,undefined -g -o "$out/$name" "$here/$name.c" $(pkg-config --cflags --libs $pkgs)
export G_SLICE=always-malloc G_DEBUG=gc-friendly
export ASAN_OPTIONS=fast_unwind_on_malloc=0:detect_leaks=1
unset LSAN_OPTIONS
"$here/../keyring-session.sh" "$out/$name"
