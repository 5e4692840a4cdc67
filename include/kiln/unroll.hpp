// kiln/unroll.hpp — when kiln writes a fixed-size loop as a fold expression, and when as a loop.
//
// Inside the compiler a fold expression over N values is one evaluation step where a loop
// is N or more, so the numeric kernels fold their inner loops. But Clang refuses a fold of
// more than 256 terms (its expression nesting limit, -fbracket-depth), and a long unrolled
// fold bloats run-time code, so past `fold_limit` values the same kernels use plain loops:
// the same operations in the same order, so the same bits either way.
#pragma once

#include <cstddef>
#include <utility>

namespace kiln::detail {

inline constexpr std::size_t fold_limit = 64;

/// Whether a fixed-size loop over N values is written as a fold.
template <std::size_t N>
inline constexpr bool folds = N <= fold_limit;

/// Whether the target has a vector unit the compiler can spread a layer's outputs over.
inline constexpr bool vector_unit =
#if defined(__SSE2__) || defined(__ARM_NEON) || defined(__ALTIVEC__) || defined(__wasm_simd128__)
    true;
#else
    false;
#endif

/// How many outputs a run-time layer pass keeps in scalar registers at once where values
/// are scalars (no vector unit, or the few outputs past the last whole vector: simd.hpp):
/// about 4, so that a scalar FPU such as a Cortex-M4F's holds each output's running sum in
/// a register instead of reloading it for every input.
inline constexpr std::size_t output_block = 4;

/// The block a layer of Out scalar outputs uses: all of them when there are at most 5, else
/// a divisor of Out near output_block (4 or 5, so a 10-output layer runs one kernel twice
/// rather than two kernels: less code), else output_block with a shorter last block.
template <std::size_t Out, std::size_t B = output_block>
inline constexpr std::size_t block_for = Out <= B + 1       ? Out
                                         : Out % B == 0       ? B
                                         : Out % (B + 1) == 0 ? B + 1
                                                              : B;

/// Calls f(first, std::index_sequence<0, ..., Block - 1>{}) for first = 0, Block, 2 Block, ...
/// over N values, the last block shorter when Block does not divide N: how a run-time
/// kernel unrolls a block of work so that it stays in registers.
template <std::size_t N, std::size_t Block, class F>
constexpr void for_blocks(F&& f) {
    constexpr std::size_t block = Block < N ? Block : N;
    std::size_t first = 0;
    for (; first + block <= N; first += block) f(first, std::make_index_sequence<block>{});
    if constexpr (N % block != 0) f(first, std::make_index_sequence<N % block>{});
}

} // namespace kiln::detail
