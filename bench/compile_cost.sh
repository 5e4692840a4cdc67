#!/usr/bin/env bash
# bench/compile_cost.sh — what training inside the compiler costs: seconds and peak memory of
# compiling each bench file with -DKILN_BENCH_TRAIN minus the same file without it.
#
# Usage (from anywhere):  bench/compile_cost.sh [-n RUNS] [-c "COMPILERS"] [EXTRA_FILE...]
#   -n RUNS        compiles per measurement, the median is kept (default 3; KILN_BENCH_RUNS too)
#   -c COMPILERS   space-separated compilers (default "g++ clang++"; KILN_BENCH_COMPILERS too)
#   EXTRA_FILE     more cases, paths relative to the repository root; a file must train only
#                  when KILN_BENCH_TRAIN is defined, or its "extra seconds" will be about 0.
# Each compile is `CXX -std=c++20 -O2 -ffp-contract=off -Iinclude -c FILE` under
# /usr/bin/time. A training is first compiled with the compiler's default constant-evaluation
# limits; if it runs out of them, it is measured again with the limit flags kiln's CMake
# target sets, and the table says so. Prints a markdown table on stdout, progress on stderr.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

runs=${KILN_BENCH_RUNS:-3}
compilers=${KILN_BENCH_COMPILERS:-"g++ clang++"}
while getopts "n:c:h" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        c) compilers=$OPTARG ;;
        *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

# ------------------------------------------------------------------ the cases
# One row per entry: "label|file|baseline label" (the baseline column may be empty).
# ADD ROWS HERE.
cases=(
    "seed, hand-coded baseline|bench/seed_baseline.cpp|seed, hand-coded baseline"
    "seed, hand-coded in a library's shape (floor)|bench/seed_layered.cpp|seed, hand-coded baseline"
    "seed, kiln::fit|bench/seed_kiln.cpp|seed, hand-coded baseline"
    "seed, kiln::fit in 4 stages|bench/seed_kiln_staged.cpp|seed, hand-coded baseline"
    "xor 2-4-1, kiln::fit|bench/xor_kiln.cpp|"
    "iris 4-8-3, kiln::fit (examples/iris.cpp)|bench/iris_kiln.cpp|"
)
for extra in "$@"; do
    [[ -f $extra ]] || { echo "compile_cost.sh: no such file: $extra" >&2; exit 2; }
    cases+=("$(basename "$extra" .cpp)|$extra|")
done

limit_flags() {  # the flags kiln's CMake target adds (CMakeLists.txt), by compiler family
    if "$1" --version 2>/dev/null | grep -qi clang; then
        echo "-fconstexpr-steps=2147483647"
    else
        echo "-fconstexpr-ops-limit=2147483647 -fconstexpr-loop-limit=1073741824"
    fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# iris_data.hpp, baked from the CSV the way the examples' build does it.
mkdir -p "$tmp/gen"
echo "compile_cost.sh: baking iris_data.hpp with tools/bake_csv" >&2
g++ -std=c++20 -O1 -Iinclude tools/bake_csv.cpp -o "$tmp/bake_csv"
"$tmp/bake_csv" --in examples/data/iris.csv --out "$tmp/gen/iris_data.hpp" --name iris --type float \
    --inputs 4 --classes 3 --label-column 4 --header-lines 1 --split-every 5 >&2

# compile CXX FILE FLAGS...: one timed compile; prints "seconds KB" and returns the compiler's status.
compile() {
    local cxx=$1 file=$2; shift 2
    local status=0
    /usr/bin/time -o "$tmp/time" -f "%e %M" "$cxx" -std=c++20 -O2 -ffp-contract=off -Iinclude -I"$tmp/gen" -c "$file" \
        -o "$tmp/out.o" "$@" 2>"$tmp/err" >/dev/null || status=$?
    tail -n 1 "$tmp/time"
    return $status
}

# measure CXX FILE FLAGS...: RUNS compiles; prints "median_seconds median_MB", fails if any compile fails.
measure() {
    local cxx=$1 file=$2; shift 2
    local i
    : >"$tmp/samples"
    for ((i = 0; i < runs; i++)); do
        compile "$cxx" "$file" "$@" >>"$tmp/samples" || return 1
    done
    echo "$(cut -d' ' -f1 "$tmp/samples" | median) $(awk '{ print $2 / 1024 }' "$tmp/samples" | median)"
}

ran_out_of_limits() { grep -Eq 'constexpr-ops-limit|constexpr-loop-limit|maximum step limit|constexpr-steps' "$tmp/err"; }

declare -A extra_s
rows=()
for cxx in $compilers; do
    version=$("$cxx" --version | head -n 1)
    echo "compile_cost.sh: $version, $runs runs per measurement" >&2
    for entry in "${cases[@]}"; do
        IFS='|' read -r label file baseline <<<"$entry"
        echo "  $label ($file)" >&2
        if ! base=$(measure "$cxx" "$file"); then
            rows+=("| $label | $cxx | does not compile without training: $(grep -m1 error "$tmp/err" || true) | | | |")
            continue
        fi
        fits=yes
        if ! train=$(measure "$cxx" "$file" -DKILN_BENCH_TRAIN); then
            if ran_out_of_limits; then
                fits="no: measured with $(limit_flags "$cxx")"
                # shellcheck disable=SC2046 # the flags are meant to split
                if ! train=$(measure "$cxx" "$file" -DKILN_BENCH_TRAIN $(limit_flags "$cxx")); then
                    rows+=("| $label | $cxx | fails even with the limit flags: $(grep -m1 error "$tmp/err" || true) | | | |")
                    continue
                fi
            else
                rows+=("| $label | $cxx | training does not compile: $(grep -m1 error "$tmp/err" || true) | | | |")
                continue
            fi
        fi
        read -r base_s _ <<<"$base"
        read -r train_s train_mb <<<"$train"
        extra=$(awk -v a="$train_s" -v b="$base_s" 'BEGIN { printf "%.2f", a - b }')
        extra_s["$cxx|$label"]=$extra
        ratio="–"
        if [[ -n $baseline && -n ${extra_s["$cxx|$baseline"]:-} ]]; then
            ratio=$(awk -v a="$extra" -v b="${extra_s["$cxx|$baseline"]}" \
                'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "–" }')
        fi
        mb=$(awk -v m="$train_mb" 'BEGIN { printf "%.0f", m }')
        rows+=("| $label | $cxx | $extra | $mb | $ratio | $fits |")
    done
done

echo "Compile-time cost of training ($runs runs each, medians; $(nproc) cores; $(date -u +%Y-%m-%d))"
echo
echo "| case | compiler | extra seconds (train - no train) | peak MB (train) | extra seconds vs baseline | fits default limits |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
