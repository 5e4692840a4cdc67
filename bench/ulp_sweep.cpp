// bench/ulp_sweep.cpp: measures kiln's constexpr exp, log, tanh and sqrt against glibc's <cmath> over
// dense sweeps and the edge cases, prints a markdown table, and fails if an accuracy target is missed.
//
// Build and run (host only):
//   g++     -O2 -std=c++20 -ffp-contract=off -Iinclude bench/ulp_sweep.cpp -o ulp_sweep && ./ulp_sweep
//   clang++ -O2 -std=c++20 -ffp-contract=off -Iinclude bench/ulp_sweep.cpp -o ulp_sweep && ./ulp_sweep
// Targets: exp, log, sqrt within 1 ulp of glibc, tanh within 3 ulp; special values bit-identical.

#include <kiln/math.hpp>
#include "splitmix.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>

namespace {

// Position of x on the number line counted in representable values; finite inputs only.
std::int64_t ordinal(double x) {
    const auto b = std::bit_cast<std::uint64_t>(x);
    const auto mag = static_cast<std::int64_t>(b & 0x7fffffffffffffffULL);
    return (b >> 63) ? -mag : mag;
}
std::int64_t ordinal(float x) {
    const auto b = std::bit_cast<std::uint32_t>(x);
    const auto mag = static_cast<std::int64_t>(b & 0x7fffffffU);
    return (b >> 31) ? -mag : mag;
}

// Distance in ulps; a disagreement in class (NaN, inf, finite) counts as "infinitely far".
template <class T>
double ulp_distance(T got, T want) {
    if (std::isnan(got) || std::isnan(want)) return (std::isnan(got) && std::isnan(want)) ? 0.0 : 1e300;
    if (std::isinf(got) || std::isinf(want)) return got == want ? 0.0 : 1e300;
    const std::int64_t d = ordinal(got) - ordinal(want);
    return static_cast<double>(d < 0 ? -d : d);
}


// Error in (fractional) ulps against a long double reference: 11 more bits than double, so this is
// the error against the exact value to within about 0.001 ulp. It separates kiln's error from glibc's.
template <class T>
double exact_error(T got, long double ref) {
    if (!std::isfinite(got) || !std::isfinite(ref)) return 0.0;
    const T r = static_cast<T>(ref);
    int e = r == 0 ? std::numeric_limits<T>::min_exponent - 1 : std::ilogb(r);
    if (e < std::numeric_limits<T>::min_exponent - 1) e = std::numeric_limits<T>::min_exponent - 1;
    const long double ulp = std::ldexp(1.0L, e - (std::numeric_limits<T>::digits - 1));
    return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / ulp);
}

template <class T>
struct stats {
    long points = 0;
    double max_ulp = 0;
    double sum_ulp = 0;
    double max_exact = 0;
    T worst{};
    long special_mismatches = 0;
    void add(T x, double d, double exact) {
        if (exact > max_exact) max_exact = exact;
        ++points;
        sum_ulp += d < 1e300 ? d : 0;
        if (d > max_ulp || points == 1) {
            max_ulp = d;
            worst = x;
        }
    }
};

// The bit-exact comparison used for special inputs: same bits, except that any NaN matches any NaN
// of the same sign (glibc's NaN payloads are not part of its contract).
template <class T>
using bits_t = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;

template <class T>
bool same_special(T got, T want) {
    // Sign bits are read from the bits: GCC folds std::signbit(std::exp(v)) to false, which a NaN
    // (glibc returns -NaN for -NaN) contradicts.
    constexpr int top = sizeof(T) * 8 - 1;
    if (std::isnan(want))
        return std::isnan(got) && (std::bit_cast<bits_t<T>>(got) >> top) == (std::bit_cast<bits_t<T>>(want) >> top);
    return std::bit_cast<bits_t<T>>(got) == std::bit_cast<bits_t<T>>(want);
}

struct range {
    double uniform_lo, uniform_hi;   // uniform part
    double log_lo, log_hi;           // log-spaced magnitudes 10^[log_lo, log_hi]
    bool log_negative;               // also sweep -10^u
    bool random_bits;                // also sweep random positive bit patterns (all binades)
};

template <class T, class Kiln, class Ref, class Exact>
stats<T> sweep(Kiln kiln_fn, Ref ref_fn, Exact exact_fn, range rg, const T* edges, int n_edges, long n_each) {
    stats<T> st;
    splitmix g{0x6b696c6e};
    auto check = [&](T x) {
        const T got = kiln_fn(x);
        st.add(x, ulp_distance(got, ref_fn(x)), exact_error(got, exact_fn(static_cast<long double>(x))));
    };
    for (long i = 0; i < n_each; ++i) {  // uniform, evenly spaced plus a random jitter
        const double u = (static_cast<double>(i) + g.unit()) / static_cast<double>(n_each);
        check(static_cast<T>(rg.uniform_lo + (rg.uniform_hi - rg.uniform_lo) * u));
    }
    for (long i = 0; i < n_each; ++i) {  // log-spaced magnitudes
        const double u = rg.log_lo + (rg.log_hi - rg.log_lo) * (static_cast<double>(i) + g.unit()) / static_cast<double>(n_each);
        const T x = static_cast<T>(std::pow(10.0, u));
        check(x);
        if (rg.log_negative) check(-x);
    }
    if (rg.random_bits) {
        for (long i = 0; i < n_each; ++i) {
            if constexpr (sizeof(T) == 8) check(std::bit_cast<double>(g.next() & 0x7fefffffffffffffULL));
            else check(std::bit_cast<float>(static_cast<std::uint32_t>(g.next() >> 33) & 0x7f7fffffU));
        }
    }
    for (int i = 0; i < n_edges; ++i) {  // edges, and their neighbours, must match exactly where special
        const T x = edges[i];
        for (T y : {x, std::nextafter(x, std::numeric_limits<T>::infinity()), std::nextafter(x, -std::numeric_limits<T>::infinity())}) {
            const T got = kiln_fn(y), want = ref_fn(y);
            check(y);
            const bool special = std::isnan(want) || std::isinf(want) || want == 0 || std::isnan(y) || std::isinf(y) || y == 0;
            if (special && !same_special(got, want)) {
                ++st.special_mismatches;
                std::printf("special mismatch: f(%a) = %a, glibc %a (bits %llx vs %llx)\n", static_cast<double>(y),
                            static_cast<double>(got), static_cast<double>(want),
                            static_cast<unsigned long long>(std::bit_cast<bits_t<T>>(got)),
                            static_cast<unsigned long long>(std::bit_cast<bits_t<T>>(want)));
            }
        }
    }
    return st;
}

int failures = 0;

template <class T>
void row(const char* fn, const char* type, const stats<T>& st, double target) {
    const bool ok = st.max_ulp <= target && st.special_mismatches == 0;
    if (!ok) ++failures;
    std::printf("| %s | %s | %ld | %.0f | %.4f | %a | %.3f | %s |\n", fn, type, st.points, st.max_ulp,
                st.sum_ulp / static_cast<double>(st.points), static_cast<double>(st.worst), st.max_exact,
                ok ? "ok" : "MISSED");
}

template <class T>
struct edge_set {
    static constexpr T inf = std::numeric_limits<T>::infinity();
    static constexpr T nan = std::numeric_limits<T>::quiet_NaN();
    static constexpr T den = std::numeric_limits<T>::denorm_min();
    static constexpr T mn = std::numeric_limits<T>::min();
    static constexpr T mx = std::numeric_limits<T>::max();
};

}  // namespace

int main() {
    constexpr long n = 400000;  // per part; every row below totals well over 1e6 points
    using ed = edge_set<double>;
    using ef = edge_set<float>;

    const double exp_edges_d[] = {0.0, -0.0, ed::den, -ed::den, ed::mn, ed::inf, -ed::inf, ed::nan, -ed::nan,
                                  0x1.62e42fefa39efp+9, -0x1.74910d52d3051p+9, -0x1.6232bdd7abcd2p+9, 1.0, -1.0,
                                  ed::mx, -ed::mx, 1e-300, -49.8, 0x1.62e42fefa39efp-2, -0x1.62e42fefa39efp-2};
    const float exp_edges_f[] = {0.0f, -0.0f, ef::den, -ef::den, ef::mn, ef::inf, -ef::inf, ef::nan, -ef::nan,
                                 0x1.62e42ep+6f, -0x1.9fe368p+6f, -0x1.5d589ep+6f, 1.0f, -1.0f, ef::mx, -ef::mx, -49.8f};
    const double log_edges_d[] = {0.0, -0.0, ed::den, ed::mn, 0x1.fffffffffffffp-1023, ed::inf, -ed::inf, ed::nan,
                                  -1.0, -ed::den, 1.0, 2.0, 0.5, 0x1.6a09e667f3bcdp-1, 0x1.6a09e667f3bcdp+0, ed::mx};
    const float log_edges_f[] = {0.0f, -0.0f, ef::den, ef::mn, ef::inf, -ef::inf, ef::nan, -1.0f, -ef::den, 1.0f, 2.0f,
                                 0.5f, 0x1.6a09e6p-1f, 0x1.6a09e6p+0f, ef::mx};
    const double sqrt_edges_d[] = {0.0, -0.0, ed::den, 0x1.fffffffffffffp-1023, ed::mn, ed::inf, -ed::inf, ed::nan,
                                   -1.0, -ed::den, 1.0, 2.0, 4.0, ed::mx, 0x1p-1073};
    const float sqrt_edges_f[] = {0.0f, -0.0f, ef::den, ef::mn, ef::inf, -ef::inf, ef::nan, -1.0f, -ef::den, 1.0f,
                                  2.0f, 4.0f, ef::mx, 0x1p-148f};
    const double tanh_edges_d[] = {0.0, -0.0, ed::den, -ed::den, ed::mn, ed::inf, -ed::inf, ed::nan, 0x1p-28, 0.5493,
                                   -0.5493, 22.0, -22.0, 0x1.30fc1931f09cap+4, 0x1.30fc1931f09c9p+4, ed::mx, -ed::mx};
    const float tanh_edges_f[] = {0.0f, -0.0f, ef::den, -ef::den, ef::mn, ef::inf, -ef::inf, ef::nan, 0x1p-12f, 9.5f,
                                  -9.5f, 0x1.205968p+3f, 0x1.205966p+3f, ef::mx, -ef::mx};
    constexpr auto count = [](const auto& a) { return static_cast<int>(sizeof a / sizeof a[0]); };

    std::printf("| function | type | points | max ulp vs glibc | mean ulp | worst input | max ulp vs exact | target |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");

    auto xexp = [](long double x) { return std::exp(x); };
    auto xlog = [](long double x) { return std::log(x); };
    auto xsqrt = [](long double x) { return std::sqrt(x); };
    auto xtanh = [](long double x) { return std::tanh(x); };

    auto kexp_d = [](double x) { return kiln::math::exp(x); };
    auto rexp_d = [](double x) { return std::exp(x); };
    row("exp", "double", sweep<double>(kexp_d, rexp_d, xexp, {-745.2, 709.8, -20, 2.8512, true, false}, exp_edges_d, count(exp_edges_d), n), 1);
    auto kexp_f = [](float x) { return kiln::math::exp(x); };
    auto rexp_f = [](float x) { return std::exp(x); };
    row("exp", "float", sweep<float>(kexp_f, rexp_f, xexp, {-104.0, 88.8, -10, 1.949, true, false}, exp_edges_f, count(exp_edges_f), n), 1);

    auto klog_d = [](double x) { return kiln::math::log(x); };
    auto rlog_d = [](double x) { return std::log(x); };
    row("log", "double", sweep<double>(klog_d, rlog_d, xlog, {0.0, 4.0, -307, 308, false, true}, log_edges_d, count(log_edges_d), n), 1);
    auto klog_f = [](float x) { return kiln::math::log(x); };
    auto rlog_f = [](float x) { return std::log(x); };
    row("log", "float", sweep<float>(klog_f, rlog_f, xlog, {0.0, 4.0, -44, 38.5, false, true}, log_edges_f, count(log_edges_f), n), 1);

    auto ksqrt_d = [](double x) { return kiln::math::soft_sqrt(x); };  // what the compiler computes
    auto rsqrt_d = [](double x) { return std::sqrt(x); };
    row("sqrt", "double", sweep<double>(ksqrt_d, rsqrt_d, xsqrt, {0.0, 100.0, -323, 308, false, true}, sqrt_edges_d, count(sqrt_edges_d), n), 1);
    auto ksqrt_f = [](float x) { return kiln::math::soft_sqrt(x); };
    auto rsqrt_f = [](float x) { return std::sqrt(x); };
    row("sqrt", "float", sweep<float>(ksqrt_f, rsqrt_f, xsqrt, {0.0, 100.0, -44, 38.5, false, true}, sqrt_edges_f, count(sqrt_edges_f), n), 1);

    auto ktanh_d = [](double x) { return kiln::math::tanh(x); };
    auto rtanh_d = [](double x) { return std::tanh(x); };
    row("tanh", "double", sweep<double>(ktanh_d, rtanh_d, xtanh, {-25.0, 25.0, -12, 1.4, true, false}, tanh_edges_d, count(tanh_edges_d), n), 3);
    auto ktanh_f = [](float x) { return kiln::math::tanh(x); };
    auto rtanh_f = [](float x) { return std::tanh(x); };
    row("tanh", "float", sweep<float>(ktanh_f, rtanh_f, xtanh, {-10.0, 10.0, -8, 1.0, true, false}, tanh_edges_f, count(tanh_edges_f), n), 3);

    if (failures != 0) std::printf("\n%d target(s) missed\n", failures);
    return failures == 0 ? 0 : 1;
}
