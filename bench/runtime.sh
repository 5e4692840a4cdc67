#!/usr/bin/env bash
# bench/runtime.sh — kiln's run-time speed for one CMake preset: build and run bench_runtime_o2
# and _o3 several times, print each row's median kiln / Eigen and kiln / plain as markdown.
#
# Usage (from anywhere):  bench/runtime.sh [-n RUNS] [-r REPETITIONS] [PRESET]
#   PRESET          a configure/build preset of CMakePresets.json (default gcc-release;
#                   clang-release for Clang); configured first if its build tree is missing
#   -n RUNS         runs of each binary, alternating _o2 and _o3 (default 3); the table holds
#                   the median over the runs of each run's ratio
#   -r REPETITIONS  passed on to the binaries (each run's ratios are themselves medians of
#                   that many alternating repetitions; the binary's default is 5)
# A ratio above 1 means kiln processes more samples per second. Exit status 1 if any run
# failed (a side that did not learn: see the FAILED lines on stderr), 2 for bad arguments.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

runs=3
reps=()
while getopts "n:r:h" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        r) reps=("$OPTARG") ;;
        *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[[ $# -le 1 && $runs =~ ^[1-9][0-9]*$ ]] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
preset=${1:-gcc-release}
build=build/$preset

if [[ ! -f $build/CMakeCache.txt ]]; then
    echo "configuring $preset ..." >&2
    cmake --preset "$preset" >/dev/null
fi
echo "building bench_runtime_o2 and _o3 ($preset) ..." >&2
if ! log=$(cmake --build --preset "$preset" --target bench_runtime_o2 bench_runtime_o3 2>&1); then
    echo "$log" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
for ((run = 1; run <= runs; ++run)); do
    for v in o2 o3; do
        echo "run $run of $runs: bench_runtime_$v" >&2
        out=$tmp/$v.$run
        if ! "$build/bench/bench_runtime_$v" "${reps[@]}" >"$out"; then
            status=1
            echo "bench_runtime_$v (run $run) failed:" >&2
            grep FAILED "$out" >&2 || cat "$out" >&2
        fi
    done
done

# The binaries' table rows: "| measure | kiln/s | plain/s | Eigen/s | kiln / Eigen | kiln / plain | accuracies |".
rows() { grep '^| ' "$1" | sed -n '2,$p'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else { m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf(m >= 100 ? "%.0f\n" : "%.2f\n", m) } }'; }
# The median of column `col` of table row `row` over the runs of variant `v` ("n/a" stays n/a).
cell() {
    local v=$1 row=$2 col=$3 values
    values=$(for f in "$tmp/$v".*; do rows "$f" | sed -n "${row}p" | awk -F'|' -v c="$col" '{ gsub(/ /, "", $c); print $c }'; done)
    if grep -q 'n/a' <<<"$values"; then echo "n/a"; else median <<<"$values"; fi
}
# Second line of the binary's output: "COMPILER VERSION, FLAGS, Eigen X.Y.Z" (or a note without Eigen).
compiler=$(sed -n 2p "$tmp/o2.1" | cut -d, -f1)
flags() { sed -n 2p "$tmp/$1.1" | cut -d, -f2 | sed 's/^ //; s/ -ffp-contract=off//'; }
eigen=$(sed -n 2p "$tmp/o2.1" | grep -o 'Eigen [0-9]*\.[0-9]*\.[0-9]*$' || echo "no Eigen")
f2=$(flags o2)
f3=$(flags o3)

echo "Run-time speed, preset $preset: $compiler, $eigen, -ffp-contract=off; median of $runs runs per binary"
echo "(samples per second, kiln divided by the baseline: above 1 means kiln is faster)"
echo
echo "| measure | $f2: kiln / Eigen | $f2: kiln / plain | $f3: kiln / Eigen | $f3: kiln / plain |"
echo "|---|---|---|---|---|"
n=$(rows "$tmp/o2.1" | wc -l)
for ((r = 1; r <= n; ++r)); do
    name=$(rows "$tmp/o2.1" | sed -n "${r}p" | awk -F'|' '{ sub(/^ /, "", $2); sub(/ $/, "", $2); print $2 }')
    echo "| $name | $(cell o2 "$r" 6) | $(cell o2 "$r" 7) | $(cell o3 "$r" 6) | $(cell o3 "$r" 7) |"
done
echo
echo "Median samples per second (what the ratios divide):"
echo
echo "| measure | $f2: kiln | plain | Eigen | $f3: kiln | plain | Eigen |"
echo "|---|---|---|---|---|---|---|"
for ((r = 1; r <= n; ++r)); do
    name=$(rows "$tmp/o2.1" | sed -n "${r}p" | awk -F'|' '{ sub(/^ /, "", $2); sub(/ $/, "", $2); print $2 }')
    echo "| $name | $(cell o2 "$r" 3) | $(cell o2 "$r" 4) | $(cell o2 "$r" 5) | $(cell o3 "$r" 3) | $(cell o3 "$r" 4) | $(cell o3 "$r" 5) |"
done
echo
echo "Test accuracy (kiln, plain, Eigen) in the first run of $f2:"
rows "$tmp/o2.1" | awk -F'|' '{ sub(/^ /, "", $2); sub(/ $/, "", $2); sub(/ $/, "", $8); print "  " $2 ":" $8 }'
exit $status
