// kiln/simd.hpp — the lanes of the run-time layer kernels: native vectors of T, or T itself.
//
// A layer's run-time passes work on a block of values side by side (layer.hpp; Adam's
// update in optimizer.hpp too). Left to the compilers' vectorisers the same loop comes out
// very differently from GCC and Clang, -O2 and -O3: GCC 12 vectorised sums that ran fast at
// -O2 across the wrong index at -O3, and inference ran nine times slower. So the kernels name their lanes: with GCC's vector extension
// (GCC and Clang) on a target with a vector unit, a lane is a native vector of T, and
// every operation on it is the scalar operation on each element, so the bits are those of
// the scalar code the compiler evaluates inside the compiler. Elsewhere (a Cortex-M, or
// another compiler) a lane is a T. sqrt and exp take a lane and give math.hpp's bits in each
// element (softmax's and sigmoid's exps run on lanes: Clang 14 left softmax's loop scalar, and
// the vectorisers' code of the scalar exp takes more operations). Nothing here is
// evaluated inside the compiler.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "math.hpp"
#include "unroll.hpp"

namespace kiln::detail {

/// The bytes of the widest native vector kernels use: 32 with AVX, 16 with SSE2, NEON,
/// AltiVec or WebAssembly SIMD, 0 (scalars only) elsewhere or without GCC's vector extension.
inline constexpr std::size_t vector_bytes =
#if defined(__GNUC__) && defined(__AVX__)
    32;
#elif defined(__GNUC__)
    vector_unit ? 16 : 0;
#else
    0;
#endif

/// How many outputs a run-time layer pass keeps in scalar registers at once where values
/// are scalars (no vector unit, or the few outputs past the last whole vector):
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

/// A vector of Bytes / sizeof(T) values of T, operated on element by element.
template <class T, std::size_t Bytes>
struct vector_of {
#if defined(__GNUC__)
    typedef T type __attribute__((vector_size(Bytes)));
#endif
};

/// How many values of T a lane V holds (1 for V = T).
template <class V, class T>
inline constexpr std::size_t lanes = sizeof(V) / sizeof(T);

/// The lane V at p (any alignment).
template <class V, class T>
inline V load(const T* p) {
    if constexpr (std::is_same_v<V, T>) {
        return *p;
    } else {
        V v;
        __builtin_memcpy(&v, p, sizeof v);
        return v;
    }
}

/// Stores the lane v at p (any alignment).
template <class V, class T>
inline void store(T* p, const V& v) {
    if constexpr (std::is_same_v<V, T>) *p = v;
    else __builtin_memcpy(p, &v, sizeof v);
}

/// The lane V of p[0], p[stride], p[2 stride], ... (for a column of a row-major block).
template <class V, class T>
inline V load_strided(const T* p, std::size_t stride) {
    if constexpr (std::is_same_v<V, T>)
        return *p;
    else
        return [&]<std::size_t... I>(std::index_sequence<I...>) { return V{p[I * stride]...}; }(std::make_index_sequence<lanes<V, T>>{});
}

/// A lane V holding x in every element (exactly x, -0 and NaN included).
template <class V, class T>
inline V splat(T x) {
    if constexpr (std::is_same_v<V, T>)
        return x;
    else
        return [x]<std::size_t... I>(std::index_sequence<I...>) { return V{((void)I, x)...}; }(std::make_index_sequence<lanes<V, T>>{});
}

/// The correctly rounded square root of each element: the vector instruction where the
/// target has one kiln knows (SSE, AVX), else math.hpp's sqrt element by element (the same
/// bits either way; __builtin_sqrt itself stays scalar unless -fno-math-errno is given).
template <class V, class T>
inline V sqrt(const V& x) {
#if defined(__GNUC__) && defined(__SSE2__)
    if constexpr (std::is_same_v<T, float> && sizeof(V) == 16) return __builtin_ia32_sqrtps(x);
    if constexpr (std::is_same_v<T, double> && sizeof(V) == 16) return __builtin_ia32_sqrtpd(x);
#endif
#if defined(__GNUC__) && defined(__AVX__)
    if constexpr (std::is_same_v<T, float> && sizeof(V) == 32) return __builtin_ia32_sqrtps256(x);
    if constexpr (std::is_same_v<T, double> && sizeof(V) == 32) return __builtin_ia32_sqrtpd256(x);
#endif
    if constexpr (std::is_same_v<V, T>) {
        return kiln::math::sqrt(x);
    } else {
        V r = x;
        for (std::size_t i = 0; i < lanes<V, T>; ++i) r[i] = kiln::math::sqrt(T(x[i]));
        return r;
    }
}

/// Each element of the float vector x within [lo, hi], a NaN made lo: with masks, for any target.
template <class V>
inline V clamp_by_masks(const V& x, const V& lo, const V& hi) {
    using I = typename vector_of<std::int32_t, sizeof(V)>::type;
    const I above = x > hi, inside = x >= lo;  // a NaN is neither
    const I bits = std::bit_cast<I>(x), hi_bits = std::bit_cast<I>(hi), lo_bits = std::bit_cast<I>(lo);
    return std::bit_cast<V>((bits & inside & ~above) | (hi_bits & above) | (lo_bits & ~inside));
}
/// The same: maxps and minps on x86 (which also make a NaN lo), else clamp_by_masks.
template <class V>
inline V clamp(const V& x, const V& lo, const V& hi) {
#if defined(__GNUC__) && defined(__SSE__)
    if constexpr (sizeof(V) == 16) return __builtin_ia32_minps(__builtin_ia32_maxps(x, lo), hi);
#endif
#if defined(__GNUC__) && defined(__AVX__)
    if constexpr (sizeof(V) == 32) return __builtin_ia32_minps256(__builtin_ia32_maxps256(x, lo), hi);
#endif
    return clamp_by_masks(x, lo, hi);
}

/// kiln::math::exp of each element: for a float vector, math::exp's steps on the whole vector
/// (its reduction and scaling are templates), so the bits of the scalar function; else element
/// by element. The scalar function clamps and picks its special cases with integer masks (a
/// float comparison there can become a branch); on a vector, float comparisons give the masks
/// and, on x86, min and max clamp: about half the operations those steps took. Within the
/// limits the clamp leaves x as it is, and every other result (inf, 0, the NaN itself) is
/// picked from x alone, so the bits are the same.
template <class V, class T>
inline V exp(const V& x) {
    if constexpr (std::is_same_v<V, T>) {
        return kiln::math::exp(x);
    } else if constexpr (std::is_same_v<T, float>) {
        using I = typename vector_of<std::int32_t, sizeof(V)>::type;
        const V hi = splat<V>(kiln::math::detail::exp_hi_limit), lo = splat<V>(kiln::math::detail::exp_lo_limit);
        const I over = x > hi, under = x < lo, nan = x != x;  // all ones or 0 in each element; NaN is neither over nor under
        const V clamped = clamp(x, lo, hi);
        const auto e = kiln::math::detail::reduce_exp(clamped);
        const V y = kiln::math::detail::scale_exp(e, __builtin_convertvector(e.k, I));
        return std::bit_cast<V>((std::bit_cast<I>(y) & ~(nan | over | under)) | (std::bit_cast<I>(x) & nan) | (0x7f800000 & over));
    } else {
        V r = x;
        for (std::size_t i = 0; i < lanes<V, T>; ++i) r[i] = kiln::math::exp(T(x[i]));
        return r;
    }
}

/// Calls f(first, std::type_identity<V>{}, std::index_sequence<0, ..., K - 1>{}) over N
/// values of T from `first` on, so that f works on values first + k * lanes<V, T> for each
/// k < K: whole vectors of vector_bytes in blocks of about Block bytes (what stays in
/// registers), then what is left in vectors of half the width, and so on down to 16 bytes,
/// then scalars in blocks of block_for. Without vectors, scalars throughout.
template <std::size_t N, class T, std::size_t Block = 128, std::size_t Bytes = vector_bytes, class F>
constexpr void for_lane_blocks(F&& f, std::size_t first = 0) {
    if constexpr (N == 0) {
        return;
    } else if constexpr (Bytes < 16 || Bytes <= sizeof(T)) {
        for_blocks<N, block_for<N>>([&](std::size_t o, auto seq) { f(first + o, std::type_identity<T>{}, seq); });
    } else {
        using V = typename vector_of<T, Bytes>::type;
        constexpr std::size_t width = Bytes / sizeof(T), whole = N / width;
        if constexpr (whole > 0)
            for_blocks<whole, (Block > Bytes ? Block / Bytes : 1)>(
                [&](std::size_t k, auto seq) { f(first + k * width, std::type_identity<V>{}, seq); });
        for_lane_blocks<N % width, T, Block, Bytes / 2>(f, first + whole * width);
    }
}

/// v[i] = f(v[i]) over N values of T, on lanes, one vector at a time (a function as long as
/// exp keeps its constants and temporaries in registers then): f takes and returns a lane.
/// Float values past the last whole vector go through one more vector, the narrowest that
/// holds them, padded with zeros (f's value of the padding is dropped): f runs on every
/// element alone, so the bits are the same, and one vector exp costs less than the scalar
/// exps of a softmax's last few outputs. Other values go through for_lane_blocks's halves
/// and scalars.
template <std::size_t N, class T, class F>
inline void on_lanes(T (&v)[N], F&& f) {
    constexpr std::size_t width = vector_bytes / sizeof(T), tail = vector_bytes == 0 ? 0 : N % width;
    if constexpr (std::is_same_v<T, float> && tail != 0) {
        using V = typename vector_of<T, vector_bytes>::type;
        for (std::size_t first = 0; first + width <= N; first += width) store<V, T>(v + first, f(load<V, T>(v + first)));
        constexpr std::size_t bytes = std::bit_ceil(tail * sizeof(T)) < 16 ? 16 : std::bit_ceil(tail * sizeof(T));
        using W = typename vector_of<T, bytes>::type;
        // Built and taken apart element by element, in registers: a vector loaded from
        // scalars just stored would wait for the stores to retire. (The index is clamped so
        // that the padding's unused branch names no element past v.)
        const W r = f([&]<std::size_t... I>(std::index_sequence<I...>) {
            return W{(I < tail ? v[N - tail + (I < tail ? I : 0)] : T(0))...};
        }(std::make_index_sequence<bytes / sizeof(T)>{}));
        for (std::size_t i = 0; i < tail; ++i) v[N - tail + i] = r[i];
    } else {
        for_lane_blocks<N, T, vector_bytes>([&](std::size_t first, auto lane, auto seq) {
            using V = typename decltype(lane)::type;
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((store<V, T>(v + first + K * lanes<V, T>, f(load<V, T>(v + first + K * lanes<V, T>)))), ...);
            }(seq);
        });
    }
}

} // namespace kiln::detail
