#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reproducer for "Tracer caught signal 11" (build-aux/sanitize, the https://
# tests), without Gatepass code, GLib or TLS:
#
#   tests/sanitizers/dtls/run.sh [gcc|clang]
#
# Debian 12: gcc 12.2 (libasan 8) and clang 14 (compiler-rt 14), glibc 2.36.
# LeakSanitizer's tracer thread scans each thread's dynamic TLS (DTLS: the
# thread-local blocks of dlopen()ed modules, which glibc allocates lazily in
# __tls_get_addr). With glibc 2.36 it takes a wrong block size from the
# DTLS bookkeeping ("DTLS 9 at 0x000200000860-0x001200001962" with
# LSAN_OPTIONS=verbosity=1:log_threads=1), reads into ASan's shadow gap
# (unmapped), and the tracer dies with SIGSEGV: no leak report at all, exit
# status 1. It happens in any instrumented process that dlopen()s a module
# with thread-local storage and uses it from another thread: ours do when
# GIO loads glib-networking (libgiognutls.so -> libgnutls) for an https://
# proxy or target (gatepass-net, gp-echo-server --tls-cert, test-prober).
# Not caused by unshare -m (tests/with-lab-ca.sh), ptrace limits (no Yama
# here) or seccomp (none): the plain program below crashes the same.
#
# A module in the initial library set gets static TLS, which LSan scans
# correctly: run 2 links the program against the module (DT_NEEDED; the
# later dlopen() finds it loaded) and LSan reports the 7-byte leak. That is
# the workaround in build-aux/sanitize: its executables are linked against
# libgiognutls.so.
set -u
cc=${1:-gcc}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$cc -shared -fPIC -o "$out/tls-module.so" "$here/tls-module.c"
$cc -fsanitize=address -g -o "$out/main" "$here/main.c" -ldl -lpthread
export ASAN_OPTIONS=detect_leaks=1
echo "== 1. dlopen()ed module (dynamic TLS): expect 'Tracer caught signal 11'"
"$out/main" "$out/tls-module.so"
echo "exit status $?"
echo "== 2. the same module linked in (static TLS): expect a 7-byte leak report"
$cc -fsanitize=address -g -o "$out/main-linked" "$here/main.c" -ldl -lpthread \
  -Wl,--no-as-needed "$out/tls-module.so" -Wl,--as-needed -Wl,-rpath,"$out"
"$out/main-linked" "$out/tls-module.so"
echo "exit status $?"
