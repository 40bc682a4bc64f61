#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the shared reference checker (R / statsmodels numbers) on every case
# listed in tests/reference_cases.txt.  Skips (exit 77) when ../shared is
# absent, as when the repository is cloned alone.
set -u
tally=$1
shared=${TALLY_SHARED:-../shared}
check="$shared/reference/check.py"
if [ ! -f "$check" ]; then
    echo "SKIP: $check not found (the shared reference cases are not present)"
    exit 77
fi
python=${PYTHON:-python3}
fail=0
while read -r name; do
    case "$name" in ''|'#'*) continue ;; esac
    if [ ! -d "$shared/reference/cases/$name" ]; then
        echo "SKIP: reference case $name not present"
        continue
    fi
    out=$("$python" "$check" "$tally" "$shared/reference/cases/$name" 2>&1)
    echo "$out" | sed "s/^/[$name] /"
    echo "$out" | tail -n 1 | grep -q '^1 passed, 0 failed$' || fail=1
done < tests/reference_cases.txt
exit $fail
