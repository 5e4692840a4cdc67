#!/bin/sh
# The digits example's held-out accuracy for seeds 1..5, and their mean (the published figure).
#   examples/digits_seeds.sh [path/to/digits_example]   (default: build/gcc-release/examples/digits_example)
set -eu
exe=${1:-build/gcc-release/examples/digits_example}
if [ ! -x "$exe" ]; then
    echo "digits_seeds.sh: $exe not found; build it with: cmake --build --preset gcc-release --target digits_example" >&2
    exit 1
fi
sum=0
for seed in 1 2 3 4 5; do
    acc=$("$exe" --seed "$seed" 2>/dev/null | sed -n 's/^test accuracy: //p')
    if [ -z "$acc" ]; then
        echo "digits_seeds.sh: seed $seed printed no test accuracy" >&2
        exit 1
    fi
    echo "seed $seed: $acc"
    sum=$(awk -v s="$sum" -v a="$acc" 'BEGIN { printf "%.6f", s + a }')
done
awk -v s="$sum" 'BEGIN { printf "mean over seeds 1..5: %.4f\n", s / 5 }'
