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

/// Whether the target has a vector unit, where a fold at run time is vectorised rather than
/// only long code (quantize.hpp), and where simd.hpp's lanes are vectors.
inline constexpr bool vector_unit =
#if defined(__SSE2__) || defined(__ARM_NEON) || defined(__ALTIVEC__) || defined(__wasm_simd128__)
    true;
#else
    false;
#endif

} // namespace kiln::detail
