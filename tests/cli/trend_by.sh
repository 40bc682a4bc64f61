#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Command-line tests of `tally trend --by COL`: every group fitted, in
# parallel, with the output of the serial run byte for byte (stdout,
# stderr and exit status, in every format, with 1, 2 and 5 threads), each
# group's fit being the one `--where COL=VALUE` prints; a group that
# cannot be fitted is reported and sets the status while the others are
# printed; --by with --where is a usage error.
# Usage (from the repository root): bash tests/cli/trend_by.sh PATH/TO/tally
set -u
tally=$1
case $tally in /*) ;; *) tally=$PWD/$tally ;; esac
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

pass() { echo "ok: $1"; }
flunk() {
    echo "FAIL: $1"
    fail=1
}

# same_any_threads NAME ARGS...: the run with 2 and 5 threads prints what
# the run with 1 thread prints.
same_any_threads() {
    local name=$1
    shift
    "$tally" trend "$@" --threads 1 >"$tmp/s.out" 2>"$tmp/s.err"
    local want=$?
    for t in 2 5; do
        "$tally" trend "$@" --threads "$t" >"$tmp/p.out" 2>"$tmp/p.err"
        local got=$?
        if [ "$got" != "$want" ] || ! cmp -s "$tmp/s.out" "$tmp/p.out" \
            || ! cmp -s "$tmp/s.err" "$tmp/p.err"; then
            flunk "$name: $t threads differ from 1 (exit $got vs $want)"
            diff "$tmp/s.out" "$tmp/p.out" | head -5
            return
        fi
    done
    pass "$name (exit $want)"
}

series=$root/data/pak-suicide-attacks/monthly_by_province.csv
for fmt in table csv json; do
    for fam in gaussian poisson negbin; do
        same_any_threads "suicide attacks, $fam, $fmt" "$series" \
            --value incidents --by province --family "$fam" --format "$fmt"
    done
done
same_any_threads "season and HAC" "$series" --value killed --by province \
    --family quasipoisson --season dummies --hac auto

# Each group's table is the --where table of that group.
"$tally" trend "$series" --value incidents --by province --family poisson \
    >"$tmp/by.txt" 2>/dev/null
ok=1
for g in $(cut -d, -f2 "$series" | tail -n +2 | sort -u | tr ' ' '_'); do
    g=${g//_/ }
    "$tally" trend "$series" --value incidents --where "province=$g" \
        --family poisson >"$tmp/w.txt" 2>/dev/null
    awk -v h="== province = $g ==" '$0 == h { on = 1; next }
        /^== province = / { on = 0 } on' "$tmp/by.txt" \
        | sed -e '${/^$/d}' >"$tmp/b.txt"
    if ! cmp -s "$tmp/w.txt" "$tmp/b.txt"; then
        flunk "group $g: --by block differs from --where"
        diff "$tmp/w.txt" "$tmp/b.txt" | head -5
        ok=0
    fi
done
[ $ok = 1 ] && pass "every --by block equals its --where fit"

# Many groups (300 series of 48 months), one of them all zeros (a Poisson
# fit has no finite maximum there) and one too short to fit.
/usr/bin/python3 - "$tmp/many.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("month,district,attacks\n")
    for g in range(300):
        n = 2 if g == 7 else 48
        for t in range(n):
            y, m = 2010 + t // 12, t % 12 + 1
            v = 0 if g == 3 else (g * 7 + t * 3) % 11 + t // 6
            f.write("%d-%02d,d%03d,%d\n" % (y, m, g, v))
PY
same_any_threads "300 groups, poisson" "$tmp/many.csv" --value attacks \
    --by district --family poisson
same_any_threads "300 groups, json" "$tmp/many.csv" --value attacks \
    --by district --family poisson --format json
"$tally" trend "$tmp/many.csv" --value attacks --by district \
    --family poisson --format json >"$tmp/j.json" 2>"$tmp/j.err"
rc=$?
if [ $rc != 0 ] && grep -q "district = d007" "$tmp/j.err" \
    && /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
g = {x["group"]: x for x in d["groups"]}
assert len(g) == 300 and "error" in g["d007"]
assert "coefficients" in g["d100"]
' "$tmp/j.json"; then
    pass "failed groups reported, the others fitted (exit $rc)"
else
    flunk "failed groups: exit $rc"
    head -5 "$tmp/j.err"
fi

"$tally" trend "$series" --value incidents --by province \
    --where province=Sindh >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "not both" "$tmp/err"; then
    pass "--by with --where refused"
else
    flunk "--by with --where: exit $rc"
fi
"$tally" trend "$series" --value incidents --by nosuch >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then
    pass "--by an absent column: exit 2"
else
    flunk "--by an absent column: exit $rc"
fi
exit $fail
