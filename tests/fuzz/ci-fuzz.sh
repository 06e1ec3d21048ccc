#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fuzzes each target of tests/fuzz/ with libFuzzer (clang, ASan, UBSan),
# self-contained: configures its own build directory, runs each target
# against a scratch copy of its seed corpus, prints a summary table, and
# exits non-zero on any finding (crash, sanitizer report, property
# violation, leak) or build failure.
#
#   tests/fuzz/ci-fuzz.sh                 each target for 10,000 new inputs (CI)
#   tests/fuzz/ci-fuzz.sh --time SECONDS  each target for SECONDS instead
#
# Environment: GATEPASS_FUZZ_BUILDDIR (default: _build-fuzz in the source
# tree), GATEPASS_FUZZ_JOBS (targets run at once; default: nproc),
# GATEPASS_FUZZ_ARTIFACTS (where crashers go; default: BUILDDIR/fuzz-artifacts).
# A crasher, once understood and fixed, belongs in
# tests/fuzz/regressions/<target>/, which the default build replays.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${GATEPASS_FUZZ_BUILDDIR:-$root/_build-fuzz}
artifacts=${GATEPASS_FUZZ_ARTIFACTS:-$builddir/fuzz-artifacts}
jobs=${GATEPASS_FUZZ_JOBS:-$(nproc)}
targets=(challenge proxy-url profile-store result echo env session-record ca)

mode=runs
amount=10000
case ${1:-} in
  --time) mode=time; amount=${2:?--time needs SECONDS} ;;
  --runs) amount=${2:?--runs needs a number} ;;
  '') ;;
  *) echo "Usage: $0 [--runs N | --time SECONDS]" >&2; exit 2 ;;
esac

say() { printf 'fuzz: %s\n' "$*" >&2; }

start=$(date +%s)
if [[ ! -f $builddir/build.ninja ]]; then
  say "configuring $builddir (clang, -Dfuzzing=true)"
  setup_log=$(mktemp)
  CC=${CC:-clang} meson setup "$builddir" "$root" -Dfuzzing=true >"$setup_log" 2>&1 ||
    { cat "$setup_log" >&2; rm -f "$setup_log"; exit 1; }
  rm -f "$setup_log"
fi
say "building"
ninja -C "$builddir" $(printf 'tests/fuzz/fuzz-%s ' "${targets[@]}") >"$builddir/fuzz-build.log" 2>&1 ||
  { tail -50 "$builddir/fuzz-build.log" >&2; exit 1; }
built=$(date +%s)

work=$(mktemp -d "${TMPDIR:-/tmp}/gatepass-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

run_target() {
  local name=$1 corpus=$work/corpus-$1 log=$work/$1.log
  local -a limit
  # Seeds and regressions are read, never written: new inputs go to the copy.
  mkdir -p "$corpus"
  cp -r "$root/tests/fuzz/corpus/$name/." "$root/tests/fuzz/regressions/$name/." "$corpus/"
  rm -f "$corpus/.gitkeep"
  if [[ $mode == runs ]]; then
    # -runs counts the seeds too: add them, so that `amount` are new.
    limit=(-runs=$(( amount + $(ls "$corpus" | wc -l) )))
    # A gate that CI runs: the same seed makes the same inputs, so a red
    # run can be reproduced and a green one is not luck. --time explores
    # with a new seed each run.
    limit+=(-seed="${GATEPASS_FUZZ_SEED:-1}")
  else
    limit=(-max_total_time="$amount")
  fi
  local t0 status=0
  t0=$(date +%s)
  # G_SLICE and G_DEBUG: so that GLib's slice allocator hides nothing.
  # Fuzzing runs with fast stack unwinding (GLib has no frame pointers,
  # and full unwinding on every malloc costs 10-30x in executions), and
  # without leak checks; then every input of the grown corpus runs once
  # more with full stacks, where leaks are checked and lsan.supp's
  # frames can match.
  export G_SLICE=always-malloc G_DEBUG=gc-friendly
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  local -a common=(-max_len=4096 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/$name-")
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
    "$builddir/tests/fuzz/fuzz-$name" "${limit[@]}" -print_final_stats=1 "${common[@]}" \
      "$corpus" >"$log" 2>&1 || status=$?
  if [[ $status == 0 ]]; then
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:fast_unwind_on_malloc=0} \
    LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=1} \
      "$builddir/tests/fuzz/fuzz-$name" -runs=0 "${common[@]}" "$corpus" >"$log.leaks" 2>&1 ||
      { status=$?; cat "$log.leaks" >>"$log"; }
    # How often each suppression matched, for the summary.
    grep -E '^ *[0-9]+ +[0-9]+ +[^ ]+$' "$log.leaks" | sort -u >"$work/$name.suppressed" || true
  fi
  echo "$status $(( $(date +%s) - t0 ))" >"$work/$name.status"
}

pids=()
running=0
for name in "${targets[@]}"; do
  run_target "$name" &
  pids+=($!)
  running=$(( running + 1 ))
  if (( running >= jobs )); then
    wait -n || true
    running=$(( running - 1 ))
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || true; done

failed=0
printf '\n%-15s %12s %10s %8s  %s\n' target executions exec/s seconds result
for name in "${targets[@]}"; do
  read -r status seconds <"$work/$name.status"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log" | tail -1)
  if [[ $status == 0 ]]; then
    result=ok
  else
    result="FINDING (exit $status; log below)"
    failed=1
  fi
  printf '%-15s %12s %10s %8s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "$seconds" "$result"
  sed 's/^ */                suppressed (count, bytes, frame): /' "$work/$name.suppressed" 2>/dev/null || true
done
for name in "${targets[@]}"; do
  read -r status _ <"$work/$name.status"
  if [[ $status != 0 ]]; then
    printf '\n--- fuzz-%s (last 60 lines) ---\n' "$name"
    tail -60 "$work/$name.log"
    ls "$artifacts"/"$name"-* 2>/dev/null | sed 's/^/artifact: /'
  fi
done
end=$(date +%s)
printf '\nbuild %ds, fuzzing %ds, total %ds\n' $(( built - start )) $(( end - built )) $(( end - start ))
exit $failed
