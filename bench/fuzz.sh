#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/fuzz.sh [SECONDS]: fuzzes each target of tests/fuzz/ for SECONDS
# (default 120) with libFuzzer, ASan and UBSan, in its own build
# directory (_build-fuzz, or $GATEPASS_FUZZ_BUILDDIR), against a copy of
# its corpus; prints the executions per target, exits non-zero on a
# finding. tests/fuzz/ci-fuzz.sh does the work (and, without --time, is
# CI's 10,000-new-inputs run).
set -euo pipefail
exec "$(dirname "$0")/../tests/fuzz/ci-fuzz.sh" --time "${1:-120}"
