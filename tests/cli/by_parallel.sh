#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Command-line tests of `--by COL` on the model commands (trend, its,
# forecast, backtest, regress, changepoint, compare): with 1, 2 and 7
# threads the output is the same bytes (stdout, stderr and exit status) in
# table, CSV and JSON; each group's JSON entry is the document `--where
# COL=VALUE` prints (seeded simulation included), each table block the
# --where table; a group that cannot be fitted is reported on stderr and in
# its entry while the others are printed; --plot, --where with --by and a
# bad --threads are usage errors.
# Usage (from the repository root): bash tests/cli/by_parallel.sh PATH/TO/tally
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

# 40 districts x 120 months (2010-01 .. 2019-12) of counts: a seasonal
# rate with a level shift from 2015-01, drawn by a fixed linear
# congruential generator (the same file on every machine).  d003 is all
# zeros (a Poisson fit has no finite maximum there) and d007 has 2 months
# only (too short for any model).
/usr/bin/python3 - "$tmp/many.csv" <<'PY'
import math, sys
state = 12345
def unif():
    global state
    state = (1103515245 * state + 12345) % 2**31
    return state / 2**31
def pois(lam):
    # Knuth's product method (lam is small here).
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= unif()
        if p <= L:
            return k
        k += 1
with open(sys.argv[1], "w") as f:
    f.write("month,district,attacks,pop\n")
    for g in range(40):
        n = 2 if g == 7 else 120
        base = 2.0 + (g % 9)
        for t in range(n):
            y, m = 2010 + t // 12, t % 12 + 1
            lam = base * (1.0 + 0.3 * math.sin(2 * math.pi * m / 12))
            if t >= 60:
                lam *= 1.0 + 0.05 * (g % 5)
            pop = 1000 + 10 * g + t
            v = 0 if g == 3 else pois(lam)
            f.write("%d-%02d,d%03d,%d,%d\n" % (y, m, g, v, pop))
PY
many=$tmp/many.csv

# The commands, one per line: a name | the arguments after the file.
cases="
trend|trend --value attacks --family poisson --season dummies
its|its --value attacks --break 2015-01 --family quasipoisson --season fourier:1
its-boot|its --value attacks --break 2015-01 --family poisson --cumulative bootstrap --draws 200 --seed 7
forecast-count|forecast --value attacks --model poisson-trend --horizon 6 --seed 3
forecast-ets|forecast --value attacks --model ets:ANN --horizon 6
backtest|backtest --value attacks --model naive --horizon 3 --initial 100
regress|regress --y attacks --x pop --family poisson
changepoint|changepoint --value attacks
changepoint-pelt|changepoint --value attacks --method pelt --cost poisson
compare|compare --value attacks --before 2013-01:2014-12 --after 2015-01:2016-12
"

# same_any_threads NAME FILE ARGS...: 2 and 7 threads print what 1 prints.
same_any_threads() {
    local name=$1 file=$2
    shift 2
    local cmd=$1
    shift
    "$tally" "$cmd" "$file" "$@" --threads 1 >"$tmp/s.out" 2>"$tmp/s.err"
    local want=$?
    for t in 2 7; do
        "$tally" "$cmd" "$file" "$@" --threads "$t" >"$tmp/p.out" \
            2>"$tmp/p.err"
        local got=$?
        if [ "$got" != "$want" ] || ! cmp -s "$tmp/s.out" "$tmp/p.out" \
            || ! cmp -s "$tmp/s.err" "$tmp/p.err"; then
            flunk "$name: $t threads differ from 1 (exit $got vs $want)"
            diff "$tmp/s.out" "$tmp/p.out" | head -5
            return
        fi
    done
    if [ ! -s "$tmp/s.out" ]; then
        flunk "$name: nothing printed (exit $want)"
        return
    fi
    pass "$name (exit $want)"
}

while IFS='|' read -r name args; do
    [ -n "$name" ] || continue
    read -r -a argv <<<"$args"
    for fmt in table csv json; do
        same_any_threads "$name, $fmt" "$many" "${argv[@]}" --by district \
            --format "$fmt"
    done
done <<<"$cases"

# Each group's JSON entry is the --where document of that group (the
# "group" member aside); the failed groups are reported and have an error.
while IFS='|' read -r name args; do
    [ -n "$name" ] || continue
    read -r -a argv <<<"$args"
    "$tally" "${argv[0]}" "$many" "${argv[@]:1}" --by district \
        --format json >"$tmp/by.json" 2>"$tmp/by.err"
    rc=$?
    for g in d000 d017 d039; do
        "$tally" "${argv[0]}" "$many" "${argv[@]:1}" --where "district=$g" \
            --format json >"$tmp/w_$g.json" 2>/dev/null
    done
    if /usr/bin/python3 - "$tmp" "${argv[0]}" <<'PY'
import json, sys
tmp, command = sys.argv[1:]
by = json.load(open(tmp + "/by.json"))
assert by["command"] == command and by["by"] == "district", "header"
groups = {g["group"]: g for g in by["groups"]}
assert len(groups) == 40 and [g["group"] for g in by["groups"]] == \
    sorted(groups), "40 groups in order"
for g in ("d000", "d017", "d039"):
    one = json.load(open("%s/w_%s.json" % (tmp, g)))
    one.pop("group", None)
    entry = dict(groups[g])
    entry.pop("group")
    assert entry == one, "%s: --by entry differs from --where" % g
# PELT splits even 2 values: there d003 (all zeros) fails.
bad = "d003" if command == "changepoint" and "error" not in groups["d007"] \
    else "d007"
assert "error" in groups[bad], "%s has no error" % bad
PY
    then
        if [ $rc != 0 ] && grep -q "district = d00[37]" "$tmp/by.err"; then
            pass "$name: groups equal --where; failures reported (exit $rc)"
        else
            flunk "$name: d007 not reported or exit 0 (exit $rc)"
        fi
    else
        flunk "$name: JSON groups (see above)"
    fi
done <<<"$cases"

# trend --by JSON: each group carries the fitted path of its --where fit.
"$tally" trend "$many" --value attacks --family quasipoisson --by district \
    --format json >"$tmp/tb.json" 2>/dev/null
"$tally" trend "$many" --value attacks --family quasipoisson \
    --where district=d011 --format json >"$tmp/tw.json" 2>/dev/null
if /usr/bin/python3 - "$tmp" <<'PY'
import json, sys
w = sys.argv[1]
by = json.load(open(w + "/tb.json"))
one = json.load(open(w + "/tw.json"))
g = [g for g in by["groups"] if g["group"] == "d011"][0]
for key in ("fitted", "observed", "residuals", "residual_type", "value"):
    assert key in g and g[key] == one[key], key
assert len(g["fitted"]) == 120
PY
then
    pass "trend --by: fitted[], observed[], residuals[] as --where"
else
    flunk "trend --by: the group's fitted path differs from --where's"
fi

# A table block is the --where table of that group.
"$tally" its "$many" --value attacks --break 2015-01 --family negbin \
    --by district >"$tmp/by.txt" 2>/dev/null
"$tally" its "$many" --value attacks --break 2015-01 --family negbin \
    --where district=d025 >"$tmp/w.txt" 2>/dev/null
awk '$0 == "== district = d025 ==" { on = 1; next }
    /^== district = / { on = 0 } on' "$tmp/by.txt" | sed -e '${/^$/d}' \
    >"$tmp/b.txt"
if cmp -s "$tmp/w.txt" "$tmp/b.txt" && [ -s "$tmp/w.txt" ]; then
    pass "its --by table block equals --where"
else
    flunk "its --by table block differs from --where"
    diff "$tmp/w.txt" "$tmp/b.txt" | head -5
fi

# Real data: monthly suicide attacks by province.
prov=$root/data/pak-suicide-attacks/monthly_by_province.csv
same_any_threads "provinces, its negbin, json" "$prov" its \
    --value incidents --break 2014-07 --family negbin --by province \
    --format json
same_any_threads "provinces, forecast negbin-trend" "$prov" forecast \
    --value killed --model negbin-trend --horizon 12 --by province
same_any_threads "provinces, changepoint" "$prov" changepoint \
    --value incidents --by province --format csv

# Usage errors.
usage() {
    local what=$1
    shift
    "$tally" "$@" >"$tmp/u.out" 2>"$tmp/u.err"
    local rc=$?
    if [ $rc = 2 ] && [ ! -s "$tmp/u.out" ]; then
        pass "$what: exit 2"
    else
        flunk "$what: exit $rc"
        head -3 "$tmp/u.err"
    fi
}
for cmd in "trend --value attacks" "its --value attacks --break 2015-01" \
    "forecast --value attacks --model naive --horizon 3" \
    "backtest --value attacks --model naive --horizon 3" \
    "changepoint --value attacks" \
    "compare --value attacks --before 2013-01:2013-12 --after 2015-01:2015-12"; do
    read -r -a a <<<"$cmd"
    usage "${a[0]} --by --plot" "${a[0]}" "$many" "${a[@]:1}" --by district \
        --plot "$tmp/x.gp"
    grep -q "instead of --by" "$tmp/u.err" || flunk "${a[0]}: no --plot message"
    [ -e "$tmp/x.gp" ] && flunk "${a[0]}: a script was written"
    usage "${a[0]} --by --where" "${a[0]}" "$many" "${a[@]:1}" --by district \
        --where district=d001
    usage "${a[0]} --threads 0" "${a[0]}" "$many" "${a[@]:1}" --by district \
        --threads 0
    usage "${a[0]} --by nosuch" "${a[0]}" "$many" "${a[@]:1}" --by nosuch
done
usage "regress --by --where" regress "$many" --y attacks --by district \
    --where district=d001
usage "regress --by nosuch" regress "$many" --y attacks --by nosuch
usage "regress --where no row" regress "$many" --y attacks \
    --where district=zzz
exit $fail
