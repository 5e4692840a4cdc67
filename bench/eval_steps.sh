#!/usr/bin/env bash
# bench/eval_steps.sh — how much constant evaluation a compile-time training costs, counted by the
# compilers themselves: Clang's evaluation steps and GCC's constexpr operations of the largest
# single evaluation in a file, found by bisecting -fconstexpr-steps / -fconstexpr-ops-limit.
# Unlike seconds these counts do not depend on the machine's load: use them to compare two
# versions of kiln (run the script in each tree) where compile_cost.sh's seconds are too noisy.
#
# Usage (from anywhere):  bench/eval_steps.sh [-c "COMPILERS"] [FILE...]
#   FILE defaults to the compile-time bench cases (seed, seed in 4 stages, XOR, iris); each is
#   compiled with -DKILN_BENCH_TRAIN, as compile_cost.sh does. Prints a markdown table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

compilers="g++ clang++"
while getopts "c:h" opt; do
    case $opt in
        c) compilers=$OPTARG ;;
        *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
files=("$@")
((${#files[@]})) || files=(bench/seed_kiln.cpp bench/seed_kiln_staged.cpp bench/xor_kiln.cpp bench/iris_kiln.cpp)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/gen"
g++ -std=c++20 -O1 -Iinclude tools/bake_csv.cpp -o "$tmp/bake_csv"
"$tmp/bake_csv" --in examples/data/iris.csv --out "$tmp/gen/iris_data.hpp" --name iris --type float \
    --inputs 4 --classes 3 --label-column 4 --header-lines 1 --split-every 5 >/dev/null

# fits CXX FILE LIMIT: whether FILE's evaluations fit within LIMIT.
fits() {
    local cxx=$1 file=$2 limit=$3 flags
    if "$cxx" --version 2>/dev/null | grep -qi clang; then
        flags=(-fconstexpr-steps="$limit")
    else
        flags=(-fconstexpr-ops-limit="$limit" -fconstexpr-loop-limit=1073741824)
    fi
    "$cxx" -std=c++20 -ffp-contract=off -fsyntax-only -Iinclude -I"$tmp/gen" -DKILN_BENCH_TRAIN "${flags[@]}" "$file" \
        >/dev/null 2>&1
}

# The smallest limit that fits, to within 0.5 %.
bisect() {
    local cxx=$1 file=$2 lo=1000 hi=1000
    while ! fits "$cxx" "$file" "$hi"; do
        lo=$hi
        hi=$((hi * 4))
        ((hi < 4000000000)) || { echo "over 4e9"; return; }
    done
    while ((hi - lo > hi / 200)); do
        local mid=$(((lo + hi) / 2))
        if fits "$cxx" "$file" "$mid"; then hi=$mid; else lo=$mid; fi
    done
    echo "$hi"
}

echo "| case | compiler | unit | largest evaluation |"
echo "|---|---|---|---|"
for cxx in $compilers; do
    unit="operations (-fconstexpr-ops-limit)"
    "$cxx" --version 2>/dev/null | grep -qi clang && unit="steps (-fconstexpr-steps)"
    for f in "${files[@]}"; do
        echo "  $cxx $f" >&2
        echo "| $(basename "$f" .cpp) | $cxx | $unit | $(bisect "$cxx" "$f") |"
    done
done
