#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the shared reference checker on tally's own extra reference cases
# (tests/reference_extra/cases, made with R by tests/reference_extra/make_cases.R),
# leaving out the cases listed in tests/reference_extra/known_failures.txt
# (disagreements of tally with R that are reported, not yet fixed).
# Skips (exit 77) when python3 or $TALLY_SHARED/reference/check.py is absent.
set -u
tally=$1
shared=${TALLY_SHARED:-../shared}
check="$shared/reference/check.py"
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
    echo "SKIP: $python not found"
    exit 77
fi
if [ ! -f "$check" ]; then
    echo "SKIP: $check not found (the shared reference checker is not present)"
    exit 77
fi
cases=tests/reference_extra/cases
known=tests/reference_extra/known_failures.txt
if [ ! -d "$cases" ]; then
    echo "FAIL: $cases not found (run from the repository root)"
    exit 1
fi
# The known failures: first word of each line that is not blank or a comment.
skip=" "
if [ -f "$known" ]; then
    while read -r name _; do
        case "$name" in ''|'#'*) continue ;; esac
        skip="$skip$name "
    done < "$known"
fi
run=()
for dir in "$cases"/*/; do
    name=$(basename "$dir")
    case "$skip" in
        *" $name "*) echo "known failure (skipped): $name"; continue ;;
    esac
    run+=("$dir")
done
if [ ${#run[@]} -eq 0 ]; then
    echo "no cases to run"
    exit 0
fi
out=$("$python" "$check" "$tally" "${run[@]}")
status=$?
echo "$out"
if [ $status -ne 0 ]; then
    echo "failing cases:"
    echo "$out" | sed -n 's/^FAIL \([^:]*\):.*/  \1/p' | sort -u
fi
exit $status
