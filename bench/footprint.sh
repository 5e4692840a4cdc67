#!/usr/bin/env bash
# bench/footprint.sh — flash, RAM, stack and instructions of one inference per network and Cortex-M core,
# as a markdown table.
#
# Each network has an inference-only image (firmware/footprint_<net>.cpp) and its baseline,
# the same program whose inference does nothing. Flash (.text + .rodata + .ARM.exidx +
# .data's load image) and RAM (.data + .bss) of the network are the differences between the
# two; weights are the size of the network's symbol (nm), code the rest of the flash
# difference (kiln's kernels and math, plus libgcc's soft float and newlib's memset, shown apart). Stack depth and
# instruction count are measured by the image itself under QEMU with -icount
# (firmware/footprint.hpp), the M0+ image on mps2-an385: QEMU's micro:bit has no counting SysTick.
#   bench/footprint.sh            (configures and builds the cortex-m preset when needed)
set -euo pipefail
export LC_ALL=C  # one collation for sort, comm and join
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=build/cortex-m
nets=(xor digits digits_int8)
cores=(m4f m0plus)
declare -A symbol=([xor]="(anonymous namespace)::xor_trained" [digits]="digits_net" [digits_int8]="firmware::digits::int8_net")
declare -A shape=([xor]="XOR 2-4-1 (sigmoid, sigmoid)" [digits]="digits 64-32-10 (tanh, softmax)" [digits_int8]="digits int8 64-32-10 (tanh, softmax)")
# Float networks: parameters (4 bytes each; multiply-adds counted with the biases, as the
# Cortex-M issue counts them). The int8 network's symbol holds its weights, accumulator starts,
# requantization constants, quantizations and tables; its multiply-adds are the weights'.
declare -A params=([xor]=$((2 * 4 + 4 + 4 * 1 + 1)) [digits]=$((64 * 32 + 32 + 32 * 10 + 10)))
declare -A macs=([xor]=${params[xor]} [digits]=${params[digits]} [digits_int8]=$((64 * 32 + 32 * 10)))
declare -A core_name=([m4f]="Cortex-M4F" [m0plus]="Cortex-M0+")
declare -A board=([m4f]=mps2-an386 [m0plus]=mps2-an385)

targets=()
for net in "${nets[@]}"; do
    for core in "${cores[@]}"; do targets+=("footprint_${net}_${core}" "footprint_${net}_${core}_baseline"); done
done
[[ -f "$build/CMakeCache.txt" ]] || cmake --preset cortex-m >/dev/null
cmake --build --preset cortex-m --target "${targets[@]}" >/dev/null

# section sizes: prints "flash ram" of an image
sizes() {
    arm-none-eabi-size -A "$1" | awk '
        $1 == ".text" || $1 == ".rodata" || $1 == ".ARM.exidx" { flash += $2 }
        $1 == ".data" { flash += $2; ram += $2 }
        $1 == ".bss" { ram += $2 }
        END { print flash + 0, ram + 0 }'
}
# bytes of the C library functions (libgcc's soft float, newlib's memset...: the symbols that
# are not C++ names) an image has and its baseline has not, as the union of their address
# ranges (libgcc's entry points alias and overlap: __aeabi_dadd is __adddf3, __aeabi_dsub
# runs into it)
helpers() {
    join -1 4 -2 1 -o 1.1,1.2 \
        <(arm-none-eabi-nm -S "$1" | awk 'NF == 4 && $3 ~ /^[Tt]$/ && $4 !~ /^_Z/' | sort -k 4) \
        <(comm -23 <(arm-none-eabi-nm "$1" | awk 'NF == 3 { print $3 }' | sort) \
                   <(arm-none-eabi-nm "$2" | awk 'NF == 3 { print $3 }' | sort)) |
        while read -r addr size; do echo "$((16#$addr)) $((16#$size))"; done | sort -n |
        awk '{ if ($1 > end) { total += end - start; start = $1; end = $1 + $2 } else if ($1 + $2 > end) end = $1 + $2 }
             END { print total + end - start }'
}

echo "| network | core | weights (B) | code (B) | of which C library (B) | flash (B) | RAM .data+.bss (B) | stack (B) | instructions per inference | per multiply-add |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for net in "${nets[@]}"; do
    for core in "${cores[@]}"; do
        elf="$build/firmware/footprint_${net}_${core}.elf"
        base="$build/firmware/footprint_${net}_${core}_baseline.elf"
        read -r flash ram < <(sizes "$elf")
        read -r flash0 ram0 < <(sizes "$base")
        weights=$(arm-none-eabi-nm -C -S "$elf" | awk -v s="${symbol[$net]}" '{ n = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", n) } n == s { print $2 }')
        if [[ -n "$weights" ]]; then
            weights=$((16#$weights))
            [[ -z "${params[$net]:-}" ]] || ((weights == params[$net] * 4)) ||
                { echo "footprint: ${symbol[$net]} in $elf has $weights B, not ${params[$net]} floats" >&2; exit 1; }
            weights_cell=$weights
        else  # the compiler folded every weight into the code as constants: still flash, counted as weights
            weights=$((params[$net] * 4))
            weights_cell="$weights (in code)"
        fi
        out=$(timeout -k 5 60 qemu-system-arm -M "${board[$core]}" -icount shift=10,align=off,sleep=off \
                  -display none -monitor none -serial null -chardev stdio,id=sh \
                  -semihosting-config enable=on,target=native,chardev=sh -kernel "$elf" </dev/null)
        [[ "$out" =~ [1-9][0-9]*\ passed,\ 0\ failed ]] ||
            { echo "footprint: $elf: outputs differ from the host's" >&2; echo "$out" >&2; exit 1; }
        [[ "$out" =~ stack\ ([0-9]+)\ bytes,\ instructions\ ([0-9]+)\ to\ ([0-9]+) ]] ||
            { echo "footprint: $elf printed no measurement:" >&2; echo "$out" >&2; exit 1; }
        stack=${BASH_REMATCH[1]} least=${BASH_REMATCH[2]} most=${BASH_REMATCH[3]}
        count=$least
        ((least == most)) || count="$least-$most"
        per_mac=$(awk -v a="$least" -v b="$most" -v m="${macs[$net]}" 'BEGIN { if (a == b) printf "%.1f", a / m; else printf "%.1f-%.1f", a / m, b / m }')
        echo "| ${shape[$net]} | ${core_name[$core]} | $weights_cell | $((flash - flash0 - weights)) | $(helpers "$elf" "$base") | $((flash - flash0)) | $((ram - ram0)) | $stack | $count | $per_mac |"
    done
done
