// Tests for kiln/math.hpp: exp, log, sqrt within 1 ulp of glibc and tanh within 3 over run-time
// sweeps, special values bit-identical with glibc, and the same bits at compile time as at run time.
// (The dense 1e6-point sweeps and the error figures live in bench/ulp_sweep.cpp.)
#include "kiln_test.hpp"

#include <kiln/math.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace {

// Run-time copies of values: a volatile read cannot be folded, so kiln's functions and glibc's
// (which GCC would otherwise fold with MPFR, correctly rounded) really run.
template <class T>
T at_run_time(T x) {
    volatile T v = x;
    return v;
}

template <class T>
using bits_t = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;

template <class T>
bits_t<T> bits(T x) {
    return std::bit_cast<bits_t<T>>(x);
}

// Distance in representable values between two finite numbers of the same type.
template <class T>
std::int64_t ulps_apart(T a, T b) {
    constexpr int top = sizeof(T) * 8 - 1;
    auto ordinal = [](T x) {
        const auto u = bits(x);
        const auto mag = static_cast<std::int64_t>(u & ~(bits_t<T>{1} << top));
        return (u >> top) ? -mag : mag;
    };
    const std::int64_t d = ordinal(a) - ordinal(b);
    return d < 0 ? -d : d;
}

// Same class and, for non-NaN values, the same bits; NaNs must agree in sign.
template <class T>
bool identical(T got, T want) {
    constexpr int top = sizeof(T) * 8 - 1;
    if (want != want) return got != got && (bits(got) >> top) == (bits(want) >> top);
    return bits(got) == bits(want);
}

// Special results (NaN, inf, zero, saturated +-1) must be identical; others within max_ulps.
template <class T>
bool matches_glibc(T got, T want, std::int64_t max_ulps) {
    if (!std::isfinite(want) || want == 0 || want == 1 || want == -1 || !std::isfinite(got) || got == 0)
        return identical(got, want);
    return ulps_apart(got, want) <= max_ulps;
}

struct sweep_result {
    std::int64_t max_ulps = 0;
    double worst_input = 0;
    long points = 0;
    long class_mismatches = 0;  // one finite and the other not, or NaN against a number
};

// About 2.5e5 points: half spread uniformly over [lo, hi], half log-spaced over magnitudes
// 10^[log_lo, log_hi] (negated too when `negative`), both with a deterministic jitter.
template <class T, class Kiln, class Ref>
sweep_result sweep(Kiln kiln_fn, Ref ref_fn, double lo, double hi, double log_lo, double log_hi, bool negative) {
    constexpr long n = 200000;  // 2.5e5 points per function and type (3e5 with negatives)
    sweep_result res;
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    auto jitter = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1p-53;
    };
    auto check = [&](T x) {
        x = at_run_time(x);
        const T got = kiln_fn(x);
        const T want = ref_fn(x);
        ++res.points;
        if (std::isfinite(got) != std::isfinite(want) || std::isnan(got) != std::isnan(want) ||
            (!std::isfinite(want) && !identical(got, want))) {
            ++res.class_mismatches;
            return;
        }
        if (!std::isfinite(want)) return;
        const std::int64_t d = ulps_apart(got, want);
        if (d > res.max_ulps) {
            res.max_ulps = d;
            res.worst_input = x;
        }
    };
    for (long i = 0; i < n / 2; ++i) {
        check(static_cast<T>(lo + (hi - lo) * ((static_cast<double>(i) + jitter()) / (n / 2))));
        const double u = log_lo + (log_hi - log_lo) * ((static_cast<double>(i) + jitter()) / (n / 2));
        const T x = static_cast<T>(std::pow(10.0, u));
        check(x);
        if (negative) check(-x);
    }
    return res;
}

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr float inff = std::numeric_limits<float>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr float qnanf = std::numeric_limits<float>::quiet_NaN();

// The inputs at which special results and thresholds live, with their neighbours where it matters.
constexpr double special_inputs_d[] = {
    0.0, -0.0, inf, -inf, qnan, -qnan, 1.0, -1.0,
    std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
    std::numeric_limits<double>::min(), 0x1.fffffffffffffp-1023, std::numeric_limits<double>::max(),
    -std::numeric_limits<double>::max(),
    0x1.62e42fefa39efp+9, 0x1.62e42fefa39f0p+9,      // last finite exp, first overflow
    -0x1.74910d52d3051p+9, -0x1.74910d52d3052p+9,    // last non-zero exp, first zero
    -0x1.6232bdd7abcd2p+9,                            // exp result at the normal/subnormal border
    0x1.30fc1931f09cap+4, 0x1.30fc1931f09c9p+4, 22.0, 0x1p-28, 0.5493, -0.5493};
constexpr float special_inputs_f[] = {
    0.0f, -0.0f, inff, -inff, qnanf, -qnanf, 1.0f, -1.0f,
    std::numeric_limits<float>::denorm_min(), -std::numeric_limits<float>::denorm_min(),
    std::numeric_limits<float>::min(), std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
    0x1.62e42ep+6f, 0x1.62e430p+6f, -0x1.9fe368p+6f, -0x1.9fe36ap+6f,
    0x1.205968p+3f, 0x1.205966p+3f, 9.5f, 0x1p-12f};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Run-time accuracy against glibc

TEST_CASE("exp is within 1 ulp of glibc over its range, double and float", "[math][exp]") {
    const auto d = sweep<double>([](double x) { return kiln::math::exp(x); }, [](double x) { return std::exp(x); },
                                 -745.2, 709.8, -20.0, 2.8512, true);
    INFO("worst input " << d.worst_input);
    CHECK(d.class_mismatches == 0);
    CHECK(d.max_ulps <= 1);
    const auto f = sweep<float>([](float x) { return kiln::math::exp(x); }, [](float x) { return std::exp(x); },
                                -104.0, 88.8, -10.0, 1.949, true);
    INFO("worst input " << f.worst_input);
    CHECK(f.class_mismatches == 0);
    CHECK(f.max_ulps <= 1);
}

TEST_CASE("log is within 1 ulp of glibc from subnormals to the largest finite, double and float", "[math][log]") {
    const auto d = sweep<double>([](double x) { return kiln::math::log(x); }, [](double x) { return std::log(x); },
                                 0.0, 4.0, -323.0, 308.0, false);
    INFO("worst input " << d.worst_input);
    CHECK(d.class_mismatches == 0);
    CHECK(d.max_ulps <= 1);
    const auto f = sweep<float>([](float x) { return kiln::math::log(x); }, [](float x) { return std::log(x); },
                                0.0, 4.0, -44.0, 38.5, false);
    INFO("worst input " << f.worst_input);
    CHECK(f.class_mismatches == 0);
    CHECK(f.max_ulps <= 1);
}

TEST_CASE("sqrt is correctly rounded: bit-identical with glibc, double and float", "[math][sqrt]") {
    const auto d = sweep<double>([](double x) { return kiln::math::soft_sqrt(x); }, [](double x) { return std::sqrt(x); },
                                 0.0, 100.0, -323.0, 308.0, false);
    INFO("worst input " << d.worst_input);
    CHECK(d.class_mismatches == 0);
    CHECK(d.max_ulps == 0);
    const auto f = sweep<float>([](float x) { return kiln::math::soft_sqrt(x); }, [](float x) { return std::sqrt(x); },
                                0.0, 100.0, -44.0, 38.5, false);
    INFO("worst input " << f.worst_input);
    CHECK(f.class_mismatches == 0);
    CHECK(f.max_ulps == 0);
}

TEST_CASE("sqrt is correctly rounded on random bit patterns across every binade", "[math][sqrt]") {
    std::uint64_t state = 12345;
    long mismatches = 0;
    for (int i = 0; i < 100000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const double x = at_run_time(std::bit_cast<double>((state >> 1) & 0x7fefffffffffffffULL));
        const float xf = at_run_time(std::bit_cast<float>(static_cast<std::uint32_t>(state >> 33) & 0x7f7fffffU));
        mismatches += bits(kiln::math::soft_sqrt(x)) != bits(std::sqrt(x));
        mismatches += bits(kiln::math::soft_sqrt(xf)) != bits(std::sqrt(xf));
        // sqrt() at run time (the host's instruction, where it has one) holds the same bits.
        mismatches += bits(kiln::math::sqrt(x)) != bits(kiln::math::soft_sqrt(x));
        mismatches += bits(kiln::math::sqrt(xf)) != bits(kiln::math::soft_sqrt(xf));
    }
    CHECK(mismatches == 0);
    STATIC_REQUIRE(kiln::math::sqrt(2.0) == kiln::math::soft_sqrt(2.0));
    CHECK(bits(kiln::math::sqrt(at_run_time(-0.0))) == bits(-0.0));
    CHECK(std::isnan(kiln::math::sqrt(at_run_time(-1.0f))));
}

TEST_CASE("tanh is within 3 ulp of glibc, double and float", "[math][tanh]") {
    const auto d = sweep<double>([](double x) { return kiln::math::tanh(x); }, [](double x) { return std::tanh(x); },
                                 -25.0, 25.0, -12.0, 1.4, true);
    INFO("worst input " << d.worst_input);
    CHECK(d.class_mismatches == 0);
    CHECK(d.max_ulps <= 3);
    const auto f = sweep<float>([](float x) { return kiln::math::tanh(x); }, [](float x) { return std::tanh(x); },
                                -10.0, 10.0, -8.0, 1.0, true);
    INFO("worst input " << f.worst_input);
    CHECK(f.class_mismatches == 0);
    CHECK(f.max_ulps <= 3);
}

// ---------------------------------------------------------------------------------------------
// Special values: exactly glibc's results (and the documented ones)

TEST_CASE("special inputs give glibc's exact results (inf, NaN, signed zero, thresholds)", "[math][special]") {
    for (double x0 : special_inputs_d) {
        const double x = at_run_time(x0);
        INFO("x = " << x);
        CHECK(matches_glibc(kiln::math::exp(x), std::exp(x), 1));
        CHECK(matches_glibc(kiln::math::log(x), std::log(x), 1));
        CHECK(matches_glibc(kiln::math::soft_sqrt(x), std::sqrt(x), 0));
        CHECK(matches_glibc(kiln::math::tanh(x), std::tanh(x), 3));
    }
    for (float x0 : special_inputs_f) {
        const float x = at_run_time(x0);
        INFO("x = " << x);
        CHECK(matches_glibc(kiln::math::exp(x), std::exp(x), 1));
        CHECK(matches_glibc(kiln::math::log(x), std::log(x), 1));
        CHECK(matches_glibc(kiln::math::soft_sqrt(x), std::sqrt(x), 0));
        CHECK(matches_glibc(kiln::math::tanh(x), std::tanh(x), 3));
    }
}

TEST_CASE("special results are the documented ones", "[math][special]") {
    CHECK(kiln::math::exp(at_run_time(inf)) == inf);
    CHECK(bits(kiln::math::exp(at_run_time(-inf))) == bits(0.0));
    CHECK(kiln::math::exp(at_run_time(710.0)) == inf);
    CHECK(kiln::math::exp(at_run_time(-746.0)) == 0.0);
    CHECK(kiln::math::exp(at_run_time(-745.0)) == std::numeric_limits<double>::denorm_min());
    CHECK(kiln::math::log(at_run_time(0.0)) == -inf);
    CHECK(kiln::math::log(at_run_time(-0.0)) == -inf);
    CHECK(std::isnan(kiln::math::log(at_run_time(-1.0))));
    CHECK(std::isnan(kiln::math::log(at_run_time(-inf))));
    CHECK(kiln::math::log(at_run_time(inf)) == inf);
    CHECK(bits(kiln::math::log(at_run_time(1.0))) == bits(0.0));
    CHECK(bits(kiln::math::soft_sqrt(at_run_time(-0.0))) == bits(-0.0));
    CHECK(std::isnan(kiln::math::soft_sqrt(at_run_time(-1e-300))));
    CHECK(bits(kiln::math::tanh(at_run_time(-0.0))) == bits(-0.0));
    CHECK(kiln::math::tanh(at_run_time(-inf)) == -1.0);
    CHECK(kiln::math::tanh(at_run_time(30.0)) == 1.0);
    CHECK(kiln::math::tanh(at_run_time(-9.5f)) == -1.0f);
    CHECK(bits(kiln::math::tanh(at_run_time(-0.0f))) == bits(-0.0f));
}

TEST_CASE("helpers classify and scale exactly like <cmath>", "[math][helpers]") {
    const double values[] = {0.0, -0.0, 1.5, -2.25, inf, -inf, qnan, std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::max()};
    for (double v0 : values) {
        const double v = at_run_time(v0);
        INFO("v = " << v);
        CHECK(kiln::math::isnan(v) == std::isnan(v));
        CHECK(kiln::math::isinf(v) == std::isinf(v));
        CHECK(kiln::math::isfinite(v) == std::isfinite(v));
        CHECK(kiln::math::isnan(static_cast<float>(v)) == std::isnan(static_cast<float>(v)));
        CHECK(kiln::math::isfinite(static_cast<float>(v)) == std::isfinite(static_cast<float>(v)));
        CHECK(bits(kiln::math::abs(v)) == bits(std::fabs(v)));
        CHECK(bits(kiln::math::copysign(2.0, v)) == bits(std::copysign(2.0, v)));
        CHECK(bits(kiln::math::copysign(1.0f, static_cast<float>(v))) == bits(std::copysign(1.0f, static_cast<float>(v))));
    }
    const double scaled[] = {1.0, -1.0, 0x1.fffffffffffffp0, 0x1.0000000000001p0, 3.0, 1e-310, 1e300};
    const int powers[] = {0, 1, -1, 1023, -1022, -1074, -1075, -1080, 2000, -2000, 1100, -1100, 30};
    for (double s0 : scaled) {
        for (int n : powers) {
            const double s = at_run_time(s0);
            INFO("ldexp(" << s << ", " << n << ")");
            CHECK(bits(kiln::math::ldexp(s, n)) == bits(std::ldexp(s, n)));
            const float sf = static_cast<float>(s);
            CHECK(bits(kiln::math::ldexp(sf, n)) == bits(std::ldexp(sf, n)));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Compile time

TEST_CASE("exact values and specials hold at compile time", "[math][constexpr]") {
    STATIC_REQUIRE(kiln::math::exp(0.0) == 1.0);
    STATIC_REQUIRE(kiln::math::exp(0.0f) == 1.0f);
    STATIC_REQUIRE(kiln::math::exp(-0.0) == 1.0);
    STATIC_REQUIRE(kiln::math::log(1.0) == 0.0);
    STATIC_REQUIRE(kiln::math::log(1.0f) == 0.0f);
    STATIC_REQUIRE(kiln::math::soft_sqrt(4.0) == 2.0);
    STATIC_REQUIRE(kiln::math::soft_sqrt(4.0f) == 2.0f);
    STATIC_REQUIRE(kiln::math::soft_sqrt(2.0) == 0x1.6a09e667f3bcdp+0);
    STATIC_REQUIRE(kiln::math::tanh(0.0) == 0.0);
    STATIC_REQUIRE(kiln::math::tanh(0.0f) == 0.0f);
    // A saturated sigmoid: 1 / (1 + e^-49.8) rounds to exactly 1 in double.
    STATIC_REQUIRE(1.0 / (1.0 + kiln::math::exp(-49.8)) == 1.0);
    STATIC_REQUIRE(1.0 / (1.0 + kiln::math::exp(-36.0)) < 1.0);
    STATIC_REQUIRE(kiln::math::exp(1000.0) == inf);
    STATIC_REQUIRE(kiln::math::exp(0x1.62e42fefa39efp+9) < inf);
    STATIC_REQUIRE(kiln::math::exp(-1000.0) == 0.0);
    STATIC_REQUIRE(kiln::math::exp(-745.0) == std::numeric_limits<double>::denorm_min());
    STATIC_REQUIRE(kiln::math::exp(-inf) == 0.0);
    STATIC_REQUIRE(kiln::math::exp(100.0f) == inff);
    STATIC_REQUIRE(kiln::math::log(0.0) == -inf);
    STATIC_REQUIRE(kiln::math::log(inf) == inf);
    STATIC_REQUIRE(kiln::math::isnan(kiln::math::log(-1.0)));
    STATIC_REQUIRE(kiln::math::isnan(kiln::math::log(-1.0f)));
    STATIC_REQUIRE(kiln::math::isnan(kiln::math::soft_sqrt(-1.0)));
    STATIC_REQUIRE(kiln::math::copysign(1.0, kiln::math::soft_sqrt(-0.0)) == -1.0);
    STATIC_REQUIRE(kiln::math::copysign(1.0, kiln::math::tanh(-0.0)) == -1.0);
    STATIC_REQUIRE(kiln::math::tanh(inf) == 1.0);
    STATIC_REQUIRE(kiln::math::tanh(-inf) == -1.0);
    STATIC_REQUIRE(kiln::math::tanh(-20.0f) == -1.0f);
    STATIC_REQUIRE(kiln::math::isnan(kiln::math::exp(qnan)));
    STATIC_REQUIRE(kiln::math::isnan(kiln::math::tanh(qnanf)));
    STATIC_REQUIRE(kiln::math::log(std::numeric_limits<double>::denorm_min()) == -0x1.74385446d71c3p+9);
    STATIC_REQUIRE(kiln::math::soft_sqrt(std::numeric_limits<double>::denorm_min()) == 0x1p-537);
    STATIC_REQUIRE(kiln::math::ldexp(1.0, -1074) == std::numeric_limits<double>::denorm_min());
    STATIC_REQUIRE(kiln::math::abs(-0.0) == 0.0 && kiln::math::copysign(1.0, kiln::math::abs(-0.0)) == 1.0);
}

namespace {

// Inputs covering every branch of every function (both exp scalings, tanh's polynomial and
// exponential parts, subnormals), computed once by the compiler and once by the program.
constexpr std::array<double, 24> probe_d = {
    -744.5, -720.25, -708.5, -49.8, -3.3, -0.7, -1e-9, 1e-300, 0.3, 0.5492, 0.55, 1.0,
    2.5, 7.75, 19.5, 21.9, 88.0, 250.0, 709.5, 1e-310, 0x1.fffffffffffffp-1, 1.0000001, 3e150, 0.1};
constexpr std::array<float, 16> probe_f = {
    -103.5f, -90.0f, -49.8f, -3.3f, -0.7f, -1e-9f, 1e-40f, 0.3f, 0.55f, 1.0f, 2.5f, 8.9f, 88.5f, 1e30f,
    0x1.fffffep-1f, 0.1f};

template <class T, std::size_t N>
struct results {
    std::array<T, N> e, l, s, t;
};

template <class T, std::size_t N>
constexpr results<T, N> evaluate(const std::array<T, N>& in) {
    results<T, N> r{};
    for (std::size_t i = 0; i < N; ++i) {
        const T x = in[i];
        const T a = x < 0 ? -x : x;
        r.e[i] = kiln::math::exp(x);
        r.l[i] = kiln::math::log(a);
        r.s[i] = kiln::math::soft_sqrt(a);
        r.t[i] = kiln::math::tanh(x);
    }
    return r;
}

constexpr auto compile_time_d = evaluate(probe_d);
constexpr auto compile_time_f = evaluate(probe_f);

template <class T, std::size_t N>
void require_same_bits(const std::array<T, N>& in, const results<T, N>& ct) {
    for (std::size_t i = 0; i < N; ++i) {
        const T x = at_run_time(in[i]);
        const T a = x < 0 ? -x : x;
        INFO("x = " << x);
        CHECK(bits(kiln::math::exp(x)) == bits(ct.e[i]));
        CHECK(bits(kiln::math::log(a)) == bits(ct.l[i]));
        CHECK(bits(kiln::math::soft_sqrt(a)) == bits(ct.s[i]));
        CHECK(bits(kiln::math::tanh(x)) == bits(ct.t[i]));
    }
}

}  // namespace

TEST_CASE("compile-time results are bit-identical to the same calls at run time", "[math][constexpr]") {
    require_same_bits(probe_d, compile_time_d);
    require_same_bits(probe_f, compile_time_f);
}

TEST_CASE("the branchy float exp and tanh of cores without a vector unit give the masked codings' bits", "[math][branchy]") {
    // Every 61st bit pattern (a prime stride: every binade, both signs, NaNs and the
    // subnormals), then the boundaries the branches test and their neighbours.
    std::uint64_t checked = 0, differ = 0;
    std::uint32_t first = 0;
    const auto check = [&](std::uint32_t b) {
        const float x = at_run_time(std::bit_cast<float>(b));
        const bool same = bits(kiln::math::detail::exp_branchy(x)) == bits(kiln::math::exp(x)) &&
                          bits(kiln::math::detail::tanh_branchy(x)) == bits(kiln::math::tanh(x));
        if (!same && differ++ == 0) first = b;
        ++checked;
    };
    for (std::uint64_t b = 0; b <= 0xffffffffu; b += 61) check(static_cast<std::uint32_t>(b));
    for (const std::uint32_t edge : {0x39800000u, 0x3f0ccccdu, 0x41180000u, 0x7f800000u,
                                     std::bit_cast<std::uint32_t>(kiln::math::detail::exp_hi_limit),
                                     std::bit_cast<std::uint32_t>(kiln::math::detail::exp_lo_limit) & 0x7fffffffu})
        for (const std::uint32_t sign : {0u, 0x80000000u})
            for (std::uint32_t d = 0; d < 5; ++d) {
                check((edge - 2 + d) | sign);
            }
    INFO("first differing bit pattern: " << std::hex << first);
    CHECK(differ == 0);
    CHECK(checked > 70000000u);
}
