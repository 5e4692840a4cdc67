// kiln/math.hpp: constexpr exp, log, tanh and sqrt for float and double that give the same bits at
// compile time and at run time, each with its error against glibc measured and written beside it.
//
// Why not <cmath>: it is not constexpr in C++20 and not available freestanding. Why this shape: exp and
// tanh run tens of thousands of times inside one constant evaluation, where every statement, call and
// std::array subscript is interpreted, so the hot functions are straight-line code with literal
// coefficients (GCC re-evaluates `1/6.` on every call) and no loops. (float exp and tanh share
// their reduction through two small helpers; bench/iris_kiln.cpp, which trains through float
// exp, compiles in the same time with them: medians of 3, GCC 12 3.21 s vs 3.24 s, Clang 14
// 3.10 s vs 3.09 s.)
// Build with -ffp-contract=off: a contracted a*b+c at run time is the only way the two paths can differ.
// Coefficients are fits made for kiln (rounded to the type, error re-checked). float is computed in
// float (double is slow on SIMD units and software-emulated on a Cortex-M4F), as straight-line code
// whose special cases are selected at the end, so that loops over floats vectorise.
// Measured errors against glibc and against the exact value: the README's table (bench/ulp_sweep.cpp).
#pragma once

// kiln's promise that a network trained at run time holds the bits of the same training in
// the compiler needs IEEE arithmetic evaluated in the declared type; refuse the builds that
// break it rather than let them differ silently.
#if defined(__FAST_MATH__)
#error "kiln: -ffast-math (or -Ofast) reorders and contracts floating-point arithmetic, so run-time results would differ from compile-time ones; build kiln code without it"
#endif
#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ != 0
#error "kiln: FLT_EVAL_METHOD is not 0 (e.g. x87 arithmetic with -m32 -mfpmath=387): intermediate results would carry excess precision at run time but not in the compiler; use SSE2 (-mfpmath=sse)"
#endif

#include <bit>
#include <concepts>
#include <cstdint>
#include <limits>

namespace kiln::math {

namespace detail {
// The two IEEE formats kiln's math supports (long double has no portable bit layout).
template <class T>
concept ieee_float = std::same_as<T, float> || std::same_as<T, double>;

template <ieee_float T>
using bits_of = std::conditional_t<std::same_as<T, float>, std::uint32_t, std::uint64_t>;

// glibc on x86-64 returns the processor's default NaN (sign bit set) for an invalid operation;
// returning the same bits keeps kiln::math::log(-1) indistinguishable from std::log(-1) on that host.
inline constexpr double invalid_nan = std::bit_cast<double>(std::uint64_t{0xfff8000000000000});
inline constexpr float invalid_nanf = std::bit_cast<float>(std::uint32_t{0xffc00000});
inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr float inff = std::numeric_limits<float>::infinity();

// The float functions choose their special cases with integer masks rather than branches or
// selects: GCC (under the default -ftrapping-math) keeps a floating-point comparison or a
// computation that only one side of a select needs as a branch, and a loop with a branch does
// not vectorise. Masks leave nothing to branch on.

/// All ones when b, else 0.
constexpr std::uint32_t mask(bool b) noexcept { return -static_cast<std::uint32_t>(b); }
/// Whether x is a NaN, from its bits (no floating-point comparison).
constexpr bool is_nan_bits(float x) noexcept { return (std::bit_cast<std::uint32_t>(x) & 0x7fffffffu) > 0x7f800000u; }
/// A signed integer that orders like the floats: negative floats' magnitude bits reversed.
constexpr std::int32_t order_key(float x) noexcept {
    const auto i = std::bit_cast<std::int32_t>(x);
    return i ^ ((i >> 31) & 0x7fffffff);
}

// Cores without a vector unit (Cortex-M) have nothing to vectorise, and there computing every
// case and selecting costs flash and time. At run time they take exp_branchy and tanh_branchy:
// the same operations on the path taken, hence the same bits, with branches instead of masks.
inline constexpr bool branchy_float_math =
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
    true;
#else
    false;
#endif

/// e^r - 1 and k for v = k ln2 + r, |r| <= ln2/2, v within exp's limits: the heart of float
/// exp and tanh. ln2's high part has 16 significant bits, so k * ln2_hi is exact; e^r - 1 is
/// r + r^2 P(r), P a degree-4 fit of relative error 3e-9 on |r| <= ln2/2. F is float, or a
/// vector of floats (simd.hpp's lanes: the same operations on each element).
template <class F>
struct exp_reduced {
    F k;
    F em1;
};
template <class F>
constexpr exp_reduced<F> reduce_exp(F v) noexcept {
    const F kf = (v * 0x1.715476p+0f + 0x1.8p23f) - 0x1.8p23f;
    const F r = (v - kf * 0x1.62e4p-1f) - kf * 0x1.7f7d1cp-20f;
    return {kf, r + (r * r) * (0x1.fffffcp-2f + r * (0x1.555492p-3f + r * (0x1.5558f2p-5f +
                               r * (0x1.1239d4p-7f + r * 0x1.6a244cp-10f))))};
}

/// (1 + em1) 2^k for k in [-150, 128], in two normal factors (2^floor(k/2), 2^ceil(k/2)): the
/// first product is exact, the second rounds once, also where the result is subnormal. k is
/// e.k as int32 (or a vector of them, I, beside a vector F).
template <class F, class I>
constexpr F scale_exp(exp_reduced<F> e, I k) noexcept {
    const I k1 = k >> 1, k2 = k - k1;  // (k + 127) << 23 stays below 2^31: no sign bit reached
    return ((1.0f + e.em1) * std::bit_cast<F>((k1 + 127) << 23)) * std::bit_cast<F>((k2 + 127) << 23);
}

inline constexpr float exp_hi_limit = 0x1.62e42ep+6f;   // last float with a finite expf in glibc
inline constexpr float exp_lo_limit = -0x1.9fe368p+6f;  // first float with a non-zero expf

/// tanh(x) for 2^-12 <= |x| < 0.55: an odd polynomial (a fit of relative error 4e-9), no cancellation.
constexpr float tanh_near0(float x) noexcept {
    const float u = x * x;
    return x + x * (u * (-0x1.55554ap-2f + u * (0x1.110d26p-3f + u * (-0x1.b9287ap-5f +
                    u * (0x1.593d06p-6f + u * -0x1.9b303ep-8f)))));
}

/// tanh(a) for 0.55 <= a <= 9.5: m / (m + 2), m = e^(2a) - 1 = (2^k - 1) + 2^k (e^r - 1).
constexpr float tanh_far0(float a) noexcept {
    const exp_reduced<float> e = reduce_exp(a + a);
    const float s = std::bit_cast<float>(static_cast<std::uint32_t>(static_cast<std::int32_t>(e.k) + 127) << 23);
    const float m = (s - 1.0f) + s * e.em1;
    return m / (m + 2.0f);
}

/// float exp with branches: what exp computes, for cores without a vector unit.
constexpr float exp_branchy(float x) noexcept {
    const std::uint32_t u = std::bit_cast<std::uint32_t>(x);
    if ((u & 0x7fffffffu) > 0x7f800000u) return x;  // NaN
    if (static_cast<std::int32_t>(u) > std::bit_cast<std::int32_t>(exp_hi_limit)) return inff;
    if (u > std::bit_cast<std::uint32_t>(exp_lo_limit)) return 0.0f;  // below the limit, -inf too
    const exp_reduced<float> e = reduce_exp(x);
    return scale_exp(e, static_cast<std::int32_t>(e.k));
}

/// float tanh with branches: what tanh computes, for cores without a vector unit.
constexpr float tanh_branchy(float x) noexcept {
    const std::uint32_t xb = std::bit_cast<std::uint32_t>(x), ab = xb & 0x7fffffffu;
    if (ab < 0x39800000u || ab > 0x7f800000u) return x;  // |x| < 2^-12, NaN
    if (ab < 0x3f0ccccdu) return tanh_near0(x);           // |x| < 0.55f
    const std::uint32_t sign = xb & 0x80000000u;
    if (ab > 0x41180000u) return std::bit_cast<float>(0x3f800000u | sign);  // |x| > 9.5, +-inf
    return std::bit_cast<float>(std::bit_cast<std::uint32_t>(tanh_far0(std::bit_cast<float>(ab))) | sign);
}
}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Classification and sign helpers (exact; NaN and signed zero handled as <cmath> does).

/// True iff x is a NaN.
template <detail::ieee_float T>
constexpr bool isnan(T x) noexcept { return x != x; }

/// True iff x is +inf or -inf.
template <detail::ieee_float T>
constexpr bool isinf(T x) noexcept {
    return x == std::numeric_limits<T>::infinity() || x == -std::numeric_limits<T>::infinity();
}

/// True iff x is neither infinite nor NaN.
template <detail::ieee_float T>
constexpr bool isfinite(T x) noexcept {
    return x == x && x != std::numeric_limits<T>::infinity() && x != -std::numeric_limits<T>::infinity();
}

/// |x| with the sign bit cleared (abs(-0) == +0, abs(-NaN) is a positive NaN).
template <detail::ieee_float T>
constexpr T abs(T x) noexcept {
    using U = detail::bits_of<T>;
    constexpr U magnitude = static_cast<U>(~U{0}) >> 1;
    return std::bit_cast<T>(static_cast<U>(std::bit_cast<U>(x) & magnitude));
}

/// The magnitude of mag with the sign bit of sgn (works for zeros and NaNs).
template <detail::ieee_float T>
constexpr T copysign(T mag, T sgn) noexcept {
    using U = detail::bits_of<T>;
    constexpr U sign = static_cast<U>(U{1} << (sizeof(U) * 8 - 1));
    return std::bit_cast<T>(static_cast<U>((std::bit_cast<U>(mag) & ~sign) | (std::bit_cast<U>(sgn) & sign)));
}

/// x * 2^n rounded once, for any int n; like std::ldexp. The result must be finite in a constant
/// expression (GCC rejects an overflowing constant).
constexpr double ldexp(double x, int n) noexcept {
    // Scale in at most three exact steps so that only the last multiplication can round: a product
    // landing among the subnormals is rounded once, not twice.
    if (n > 1023) {
        x *= 0x1p1023;
        n -= 1023;
        if (n > 1023) {
            x *= 0x1p1023;
            n -= 1023;
            if (n > 1023) n = 1023;
        }
    } else if (n < -1022) {
        x *= 0x1p-969;  // 2^-1022 * 2^53: stays normal, keeps every bit
        n += 969;
        if (n < -1022) {
            x *= 0x1p-969;
            n += 969;
            if (n < -1022) n = -1022;
        }
    }
    return x * std::bit_cast<double>(static_cast<std::uint64_t>(n + 1023) << 52);
}

/// x * 2^n rounded once, for any int n; like std::ldexp for float.
constexpr float ldexp(float x, int n) noexcept {
    // In double every float times 2^n for |n| <= 300 is exact, so one conversion does the only rounding.
    if (n > 300) n = 300;
    if (n < -300) n = -300;
    return static_cast<float>(static_cast<double>(x) * std::bit_cast<double>(static_cast<std::uint64_t>(n + 1023) << 52));
}

// ---------------------------------------------------------------------------------------------
// exp

/// e^x; +inf above the overflow threshold, +0 below the underflow threshold, NaN for NaN.
constexpr double exp(double x) noexcept {
    if (x > 0x1.62e42fefa39efp+9) return detail::inf;  // last x with a finite e^x in glibc; also +inf
    if (x < -0x1.74910d52d3051p+9) return 0.0;         // first x with a non-zero e^x; also -inf
    if (x != x) return x;
    // x = k ln2 + r, |r| <= ln2/2. k is rounded by the 1.5*2^52 shifter, ln2 is split so that k*ln2_hi
    // (42 significant bits) is exact and x - k*ln2_hi is exact (Sterbenz) for |k| <= 1075.
    const double kf = (x * 0x1.71547652b82fep+0 + 0x1.8p52) - 0x1.8p52;
    const double hi = x - kf * 0x1.62e42fefa3800p-1;
    const double lo = kf * 0x1.ef35793c76730p-45;
    const double r = hi - lo;
    // e^r = 1 + 2r/(R(r) - r) with R(r) = r coth(r/2) = 2 + r^2 P(r^2); c = r - r^2 P(r^2).
    const double z = r * r;
    const double c = r - z * (0x1.5555555555553p-3 +
                         z * (-0x1.6c16c16c0ac0cp-9 +
                         z * (0x1.1566ab5c1bab6p-14 +
                         z * (-0x1.bbd5323e85d38p-20 +
                         z * 0x1.63f284b4aaf0bp-25))));
    // e^r = 1 + hi + u with u = r c/(2 - c) - lo small; 1 + hi is kept exact as s plus its rounding error so
    // that the result is rounded once and is nearly always the correctly rounded one.
    const double u = (r * c) / (2.0 - c) - lo;
    const double s = 1.0 + hi;
    const double y = s + (((1.0 - s) + hi) + u);
    const auto k = static_cast<std::int64_t>(kf);
    if (k > -1022 && k < 1024) return y * std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
    // Near overflow (k = 1024) or among the subnormals: two exact-then-rounding factors, one rounding.
    const std::int64_t k1 = k / 2;
    return (y * std::bit_cast<double>(static_cast<std::uint64_t>(k1 + 1023) << 52)) *
           std::bit_cast<double>(static_cast<std::uint64_t>(k - k1 + 1023) << 52);
}

/// e^x for float, computed in float; limits as for double.
constexpr float exp(float x) noexcept {
    if constexpr (detail::branchy_float_math)
        if (!__builtin_is_constant_evaluated()) return detail::exp_branchy(x);
    constexpr std::int32_t hi_key = detail::order_key(detail::exp_hi_limit), lo_key = detail::order_key(detail::exp_lo_limit);
    // The reduction runs on x clamped into the limits (NaN included), so no inf or NaN arises
    // inside the compiler; the clamp is an integer min and max on keys that order like the floats.
    const std::int32_t key = detail::order_key(x);
    const std::int32_t kc = key > hi_key ? hi_key : (key < lo_key ? lo_key : key);
    const detail::exp_reduced<float> r = detail::reduce_exp(std::bit_cast<float>(kc ^ ((kc >> 31) & 0x7fffffff)));
    const float e = detail::scale_exp(r, static_cast<std::int32_t>(r.k));
    // NaN stays itself, beyond the limits inf or 0.
    const std::uint32_t nan = detail::mask(detail::is_nan_bits(x));
    const std::uint32_t over = detail::mask(key > hi_key) & ~nan, under = detail::mask(key < lo_key) & ~nan;
    return std::bit_cast<float>((std::bit_cast<std::uint32_t>(e) & ~(nan | over | under)) |
                                (std::bit_cast<std::uint32_t>(x) & nan) | (0x7f800000u & over));
}

// ---------------------------------------------------------------------------------------------
// log

/// Natural logarithm; -inf for +-0, NaN for x < 0, +inf for +inf, log(1) == +0.
constexpr double log(double x) noexcept {
    if (x != x) return x;
    if (x <= 0.0) return x == 0.0 ? -detail::inf : detail::invalid_nan;
    if (x == detail::inf) return x;
    double e_bias = 0.0;
    std::uint64_t b = std::bit_cast<std::uint64_t>(x);
    if (b < (std::uint64_t{1} << 52)) {  // subnormal: make it normal, remember the factor
        b = std::bit_cast<std::uint64_t>(x * 0x1p54);
        e_bias = -54.0;
    }
    // x = 2^e m with m in [sqrt(1/2), sqrt(2)): subtracting the bits of sqrt(1/2) moves the exponent
    // boundary there, so no comparison is needed.
    const std::int64_t e = static_cast<std::int64_t>(b - 0x3fe6a09e667f3bcdULL) >> 52;
    const double m = std::bit_cast<double>(b - (static_cast<std::uint64_t>(e) << 52));
    const double f = m - 1.0;  // exact
    // log(1+f) = 2 atanh(s), s = f/(2+f); 2 atanh(s) = 2s + s R(s^2), rearranged around f - f^2/2
    // so that the large terms are exact or nearly so.
    const double hfsq = 0.5 * f * f;
    const double s = f / (2.0 + f);
    const double z = s * s;
    const double R = z * (0x1.5555555555558p-1 +
                     z * (0x1.99999999952e1p-2 +
                     z * (0x1.2492492df16d4p-2 +
                     z * (0x1.c71c62e5518b4p-3 +
                     z * (0x1.7462b4b86a8abp-3 +
                     z * (0x1.39fe5ead68d96p-3 +
                     z * 0x1.2b585feb331adp-3))))));
    const double k = static_cast<double>(e) + e_bias;
    return k * 0x1.62e42fefa3800p-1 - ((hfsq - (s * (hfsq + R) + k * 0x1.ef35793c76730p-45)) - f);
}

/// Natural logarithm for float, computed in float; special values as for double.
constexpr float log(float x) noexcept {
    const std::uint32_t xb = std::bit_cast<std::uint32_t>(x);
    // Positive finite x is the usual case; the reduction runs on 1 for the others, so no inf
    // or NaN arises inside the compiler. Subnormals are scaled by 2^25 first.
    const std::uint32_t usual = detail::mask(xb - 1u < 0x7f7fffffu);  // 0 < x < inf
    const std::uint32_t xs = (xb & usual) | (0x3f800000u & ~usual);
    const std::uint32_t subnormal = detail::mask(xs < (std::uint32_t{1} << 23));
    const std::uint32_t b = (xs & ~subnormal) | (std::bit_cast<std::uint32_t>(std::bit_cast<float>(xs) * 0x1p25f) & subnormal);
    // x = 2^e m, m in [sqrt(1/2), sqrt(2)), f = m - 1 exact; log(1 + f) = 2 atanh(s), s = f / (2 + f),
    // arranged around f - f^2/2 as for double; the atanh series to s^9 is within 2^-30 here.
    const std::int32_t e = static_cast<std::int32_t>(b - 0x3f3504f3U) >> 23;
    const float f = std::bit_cast<float>(b - (static_cast<std::uint32_t>(e) << 23)) - 1.0f;
    const float k = static_cast<float>(e - static_cast<std::int32_t>(25u & subnormal));
    const float hfsq = 0.5f * f * f;
    const float s = f / (2.0f + f);
    const float z = s * s;
    const float R = z * (0x1.555556p-1f + z * (0x1.99999ap-2f + z * (0x1.24924ap-2f + z * 0x1.c71c72p-3f)));
    const float l = k * 0x1.62e4p-1f - ((hfsq - (s * (hfsq + R) + k * 0x1.7f7d1cp-20f)) - f);
    // NaN stays itself and +inf too; -inf for +-0, NaN below 0.
    const std::uint32_t itself = detail::mask(detail::is_nan_bits(x) || xb == 0x7f800000u);
    const std::uint32_t zero = detail::mask((xb & 0x7fffffffu) == 0), negative = ~(usual | itself | zero);
    return std::bit_cast<float>((std::bit_cast<std::uint32_t>(l) & usual) | (xb & itself) | (0xff800000u & zero) |
                                (std::bit_cast<std::uint32_t>(detail::invalid_nanf) & negative));
}

// ---------------------------------------------------------------------------------------------
// sqrt

namespace detail {
// Hosts whose square-root instruction is IEEE's correctly rounded square root, the very value sqrt
// below computes: at run time the instruction gives the same bits, many times faster (Adam takes
// one per parameter and step).
inline constexpr bool hardware_sqrt =
#if defined(__x86_64__) || defined(__aarch64__)
    true;
#else
    false;
#endif
}  // namespace detail

/// Square root, correctly rounded, in integer-exact software: what sqrt() computes inside the
/// compiler and on targets without a square-root instruction. sqrt(-0) == -0, NaN for x < 0.
constexpr double soft_sqrt(double x) noexcept {
    if (x != x) return x;
    if (x <= 0.0) return x == 0.0 ? x : detail::invalid_nan;
    if (x == detail::inf) return x;
    std::int64_t scale = 0;
    std::uint64_t b = std::bit_cast<std::uint64_t>(x);
    if (b < (std::uint64_t{1} << 52)) {  // subnormal: scale by an even power so the root scales exactly
        b = std::bit_cast<std::uint64_t>(x * 0x1p54);
        scale = -27;
    }
    // x = X 2^ex with ex even and X an integer in [2^52, 2^54); the root is sqrt(X 2^52) 2^(ex/2 - 26).
    std::int64_t ex = static_cast<std::int64_t>(b >> 52) - 1075;
    std::uint64_t X = (b & 0x000fffffffffffffULL) | 0x0010000000000000ULL;
    if (ex & 1) {
        X <<= 1;
        ex -= 1;
    }
    // Approximate sqrt(t), t in [1, 4): quadratic fit (1% error), then three Newton steps (~1 ulp).
    const double t = static_cast<double>(X) * 0x1p-52;
    double y = 0x1.15fb2a24b693cp-1 + t * (0x1.011ad8877ed15p-1 + t * -0x1.1cac293dd7915p-5);
    y = 0.5 * (y + t / y);
    y = 0.5 * (y + t / y);
    y = 0.5 * (y + t / y);
    // Y is within one of the nearest integer to sqrt(N), N = X 2^52; decide exactly with the integer
    // residual N - Y^2, which is small, so computing it modulo 2^64 loses nothing.
    std::uint64_t Y = static_cast<std::uint64_t>(y * 0x1p52);
    const auto d = static_cast<std::int64_t>((X << 52) - Y * Y);
    const auto yi = static_cast<std::int64_t>(Y);
    if (d > yi) ++Y;            // N > (Y + 1/2)^2
    else if (d <= -yi) --Y;     // N < (Y - 1/2)^2; (Y +- 1/2)^2 is never an integer, so no ties
    return static_cast<double>(Y) * std::bit_cast<double>(static_cast<std::uint64_t>(ex / 2 - 26 + scale + 1023) << 52);
}

/// soft_sqrt for float, correctly rounded; special values as for double.
constexpr float soft_sqrt(float xf) noexcept {
    if (xf != xf) return xf;
    if (xf <= 0.0f) return xf == 0.0f ? xf : detail::invalid_nanf;
    if (xf == detail::inff) return xf;
    std::int64_t scale = 0;
    std::uint32_t b = std::bit_cast<std::uint32_t>(xf);
    if (b < (std::uint32_t{1} << 23)) {
        b = std::bit_cast<std::uint32_t>(xf * 0x1p24f);
        scale = -12;
    }
    // x = X 2^ex with ex odd and X an integer in [2^23, 2^25); the root is sqrt(X 2^23) 2^((ex - 23)/2).
    std::int64_t ex = static_cast<std::int64_t>(b >> 23) - 150;
    std::int64_t X = static_cast<std::int64_t>((b & 0x007fffffU) | 0x00800000U);
    if ((ex & 1) == 0) {
        X <<= 1;
        ex -= 1;
    }
    const double t = static_cast<double>(X) * 0x1p-23;
    double y = 0x1.15fb2a24b693cp-1 + t * (0x1.011ad8877ed15p-1 + t * -0x1.1cac293dd7915p-5);
    y = 0.5 * (y + t / y);
    y = 0.5 * (y + t / y);
    // N = X 2^23 < 2^48: the residual fits a signed 64-bit integer outright.
    std::int64_t Y = static_cast<std::int64_t>(y * 0x1p23 + 0.5);
    const std::int64_t d = (X << 23) - Y * Y;
    if (d > Y) ++Y;
    else if (d <= -Y) --Y;
    return static_cast<float>(static_cast<double>(Y) *
                              std::bit_cast<double>(static_cast<std::uint64_t>((ex - 23) / 2 + scale + 1023) << 52));
}

/// Square root, correctly rounded (so the same bits everywhere); sqrt(-0) == -0, NaN for x < 0,
/// +inf for +inf. soft_sqrt inside the compiler, the host's instruction at run time.
constexpr double sqrt(double x) noexcept {
    if constexpr (detail::hardware_sqrt)
        if (!__builtin_is_constant_evaluated()) return __builtin_sqrt(x);
    return soft_sqrt(x);
}
constexpr float sqrt(float x) noexcept {
    if constexpr (detail::hardware_sqrt)
        if (!__builtin_is_constant_evaluated()) return __builtin_sqrtf(x);
    return soft_sqrt(x);
}

// ---------------------------------------------------------------------------------------------
// tanh

/// Hyperbolic tangent; odd, tanh(+-0) == +-0, +-1 for +-inf and beyond saturation, NaN for NaN.
constexpr double tanh(double x) noexcept {
    if (x != x) return x;
    const double a = x < 0.0 ? -x : x;
    if (a < 0x1p-28) return x;  // tanh(x) = x to within half an ulp; keeps -0 and subnormals
    if (a < 0.5493) {           // tanh(a) < 1/2: odd polynomial, no cancellation
        const double z = x * x;
        return x + x * (z * (-0x1.5555555555555p-2 +
                        z * (0x1.1111111111037p-3 +
                        z * (-0x1.ba1ba1b9ff645p-5 +
                        z * (0x1.664f48774af88p-6 +
                        z * (-0x1.226e32fa1c551p-7 +
                        z * (0x1.d6d33b468d281p-9 +
                        z * (-0x1.7d97f10b3089fp-10 +
                        z * (0x1.34c6f0b0ec8e6p-11 +
                        z * (-0x1.ec1fcea7f8ffcp-13 +
                        z * (0x1.652f90709850ap-14 +
                        z * -0x1.5a337131f13a2p-16)))))))))));
    }
    if (a > 22.0) return x < 0.0 ? -1.0 : 1.0;  // 1 - tanh(a) < 2^-60: rounds to 1 (also +-inf)
    // tanh(a) = 1 - 2/(e^(2a) + 1) with e^(2a) = 2^k (1 + p), p = e^r - 1 (the exp above, inlined).
    const double y2 = a + a;
    const double kf = (y2 * 0x1.71547652b82fep+0 + 0x1.8p52) - 0x1.8p52;
    const double hi = y2 - kf * 0x1.62e42fefa3800p-1;
    const double lo = kf * 0x1.ef35793c76730p-45;
    const double r = hi - lo;
    const double z = r * r;
    const double c = r - z * (0x1.5555555555553p-3 +
                         z * (-0x1.6c16c16c0ac0cp-9 +
                         z * (0x1.1566ab5c1bab6p-14 +
                         z * (-0x1.bbd5323e85d38p-20 +
                         z * 0x1.63f284b4aaf0bp-25))));
    const double p = hi - (lo - (r * c) / (2.0 - c));
    const double s = std::bit_cast<double>(static_cast<std::uint64_t>(static_cast<std::int64_t>(kf) + 1023) << 52);
    const double t = 1.0 - 2.0 / ((s + 1.0) + s * p);
    return x < 0.0 ? -t : t;
}

/// Hyperbolic tangent for float, computed in float; special values as for double.
constexpr float tanh(float x) noexcept {
    if constexpr (detail::branchy_float_math)
        if (!__builtin_is_constant_evaluated()) return detail::tanh_branchy(x);
    const std::uint32_t xb = std::bit_cast<std::uint32_t>(x), ab = xb & 0x7fffffffu, sign = xb & 0x80000000u;
    // Both parts are computed and one selected; each runs on an argument inside its range
    // (0 and |x| clamped to 9.5, NaN included) so that no product overflows inside the compiler.
    const std::uint32_t near = detail::mask(ab < 0x3f0ccccdu);  // |x| < 0.55f
    const float near0 = detail::tanh_near0(std::bit_cast<float>(xb & near));
    // glibc's tanhf is exactly 1 from 9.011.
    const std::uint32_t q = std::bit_cast<std::uint32_t>(detail::tanh_far0(std::bit_cast<float>(ab < 0x41180000u ? ab : 0x41180000u)));
    const std::uint32_t saturated = detail::mask(ab > 0x41180000u);  // |x| > 9.5, +-inf and NaN
    const std::uint32_t far0 = ((q & ~saturated) | (0x3f800000u & saturated)) | sign;
    // x itself below 2^-12 (within half an ulp: keeps -0 and subnormals) and for NaN.
    const std::uint32_t itself = detail::mask(ab < 0x39800000u || detail::is_nan_bits(x));
    const std::uint32_t poly = near & ~itself, rest = ~(near | itself);
    return std::bit_cast<float>((xb & itself) | (std::bit_cast<std::uint32_t>(near0) & poly) | (far0 & rest));
}

}  // namespace kiln::math
