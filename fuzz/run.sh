#!/bin/sh
# fuzz/run.sh — build kiln's libFuzzer targets with Clang and run each for a bounded time, one after another.
#
#   fuzz/run.sh [seconds per target (default 60)] [target ...]   (targets: csv npy npz; default all)
#
# Each target is built with -fsanitize=fuzzer,address,undefined (any sanitizer report aborts)
# into build/fuzz/, starts from the checked-in corpus fuzz/corpus/<target>/ (read only) and
# keeps what it finds in build/fuzz/corpus/<target>/. A crash, leak, hang (-timeout) or
# excess memory (-rss_limit_mb) stops the run and leaves the input as build/fuzz/<target>-crash-*;
# the script then exits non-zero. At the end it prints the executions each target ran.
# FUZZ_MERGE=1 also minimises the findings back into fuzz/corpus/<target>/ (-merge=1).
# Environment: CLANGXX (default clang++), FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (10 s per input),
# FUZZ_MAX_LEN (8192 bytes).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-csv npy npz}
cxx=${CLANGXX:-clang++}
out="$root/build/fuzz"
mkdir -p "$out"

summary=""
status=0
for t in $targets; do
    src="$here/${t}_fuzz.cpp"
    [ -f "$src" ] || { echo "run.sh: no target $t ($src)" >&2; exit 2; }
    echo "== building $t"
    "$cxx" -std=c++20 -O1 -g -fno-omit-frame-pointer -ffp-contract=off \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -I"$root/include" "$src" -o "$out/${t}_fuzz"
    mkdir -p "$out/corpus/$t"
    log="$out/$t.log"
    echo "== running $t for ${seconds}s (log: $log)"
    start=$(date +%s)
    if (cd "$out" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "./${t}_fuzz" "$out/corpus/$t" "$here/corpus/$t" \
        -max_total_time="$seconds" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -timeout="${FUZZ_TIMEOUT:-10}" \
        -max_len="${FUZZ_MAX_LEN:-8192}" -artifact_prefix="$out/${t}-" -print_final_stats=1) >"$log" 2>&1; then
        result=ok
    elif grep -q 'libFuzzer: run interrupted' "$log" && ! ls "$out/${t}-"* >/dev/null 2>&1; then
        result="interrupted, no finding"  # stopped by Ctrl-C or kill -INT: what ran still counts
    else
        result="FAILED (see $log)"
        status=1
    fi
    elapsed=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    summary="$summary$t: ${execs:-?} executions in ${elapsed}s, $result
"
    if [ "${FUZZ_MERGE:-0}" = 1 ] && [ "$result" = ok ]; then
        mkdir -p "$out/merged/$t"
        "$out/${t}_fuzz" -merge=1 "$out/merged/$t" "$here/corpus/$t" "$out/corpus/$t" >"$out/$t.merge.log" 2>&1
        rm -f "$here/corpus/$t"/*
        cp "$out/merged/$t"/* "$here/corpus/$t"/
        rm -rf "$out/merged/$t"
    fi
done
printf '%s' "$summary"
exit $status
