#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every shipped study reruns to the committed outputs: tally run --check on
# each models/*.ini against its manifest under plots/.
set -u
tally=$1
fail=0
for study in models/*.ini; do
    if out=$("$tally" run "$study" --check 2>&1); then
        echo "ok: $study"
    else
        echo "FAIL: $study"
        echo "$out" | grep -v '^tally: warning' | head -n 40
        fail=1
    fi
done
exit $fail
