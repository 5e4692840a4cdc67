// kiln/unroll.hpp — when kiln writes a fixed-size loop as a fold expression, and when as a loop.
//
// Inside the compiler a fold expression over N values is one evaluation step where a loop
// is N or more, so the numeric kernels fold their inner loops. But Clang refuses a fold of
// more than 256 terms (its expression nesting limit, -fbracket-depth), and a long unrolled
// fold bloats run-time code, so past `fold_limit` values the same kernels use plain loops:
// the same operations in the same order, so the same bits either way.
#pragma once

#include <cstddef>

namespace kiln::detail {

inline constexpr std::size_t fold_limit = 64;

/// Whether a fixed-size loop over N values is written as a fold.
template <std::size_t N>
inline constexpr bool folds = N <= fold_limit;

/// How many outputs a run-time layer pass keeps in registers at once: all of them where the
/// target has a vector unit (the compiler spreads them over vector registers), else about 4,
/// so that a scalar FPU such as a Cortex-M4F's holds each output's running sum in a register
/// instead of reloading it for every input.
inline constexpr std::size_t output_block =
#if defined(__SSE2__) || defined(__ARM_NEON) || defined(__ALTIVEC__) || defined(__wasm_simd128__)
    0;  // 0: all outputs
#else
    4;
#endif

/// The block a layer of Out outputs uses: all of them, or without a vector unit a divisor of
/// Out near output_block (4 or 5, so a 10-output layer runs one kernel twice rather than two
/// kernels: less code), else output_block with a shorter last block.
template <std::size_t Out, std::size_t B = (output_block == 0 ? Out : output_block)>
inline constexpr std::size_t block_for = Out <= B + 1       ? Out
                                         : Out % B == 0       ? B
                                         : Out % (B + 1) == 0 ? B + 1
                                                              : B;

} // namespace kiln::detail
