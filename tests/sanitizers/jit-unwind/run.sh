#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reproducer for the window test's deadlock under build-aux/sanitize with
# OpenGL (Mesa's llvmpipe), without Gatepass code, GTK or Mesa:
#
#   tests/sanitizers/jit-unwind/run.sh
#
# Debian 12: gcc 12.2's libgcc_s and libasan 8. The hung window test
# (gdb -p PID -batch -ex 'thread apply all bt') showed its main thread in
# the first frame: gsk_renderer_render -> swrast_dri.so (llvmpipe compiling
# a shader) -> LLVMGetPointerToGlobal -> MCJIT::finalizeObject ->
# RTDyldMemoryManager::registerEHFrames -> operator new -> ASan's
# UnwindSlow -> _Unwind_Backtrace -> _Unwind_Find_FDE -> (libgcc) malloc
# -> ASan's UnwindSlow -> _Unwind_Backtrace -> _Unwind_Find_FDE ->
# pthread_mutex_lock, waiting for ever. Once any unwind table has been
# registered with __register_frame (LLVM's JIT does that for its code),
# gcc 12's _Unwind_Find_FDE takes libgcc's object_mutex and sorts the new
# tables, allocating with malloc while it holds the mutex; with
# fast_unwind_on_malloc=0, ASan's malloc unwinds through
# _Unwind_Backtrace, which takes the same (non-recursive) mutex. Every
# thread that then unwinds blocks behind it. (gcc 13's libgcc looks
# registered tables up without that mutex.)
#
# Run 1 registers and allocates with the slow unwinder: it hangs in its
# first allocation after registering (puts's buffer; killed after 10 s,
# exit status 124). Run 2 allocates without registering, run 3
# registers with the fast unwinder: both finish. build-aux/sanitize keeps
# the slow unwinder (suppressions need whole stacks) and keeps OpenGL, and
# with it Mesa's JIT, out of GTK instead (GDK_DEBUG=gl-disable).
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -fsanitize=address -g -o "$out/main" "$here/main.c"
echo "== 1. __register_frame, then malloc, slow unwinder: expect a hang (exit status 124)"
ASAN_OPTIONS=fast_unwind_on_malloc=0 timeout 10 "$out/main" register
echo "exit status $?"
echo "== 2. malloc without __register_frame, slow unwinder: expect 'allocated'"
ASAN_OPTIONS=fast_unwind_on_malloc=0 timeout 10 "$out/main"
echo "exit status $?"
echo "== 3. __register_frame, then malloc, fast unwinder: expect 'allocated'"
ASAN_OPTIONS=fast_unwind_on_malloc=1 timeout 10 "$out/main" register
echo "exit status $?"
