// Tests for kiln/random.hpp: engines bit-exact with their references, NumPy's draws
// reproduced, the draws' ranges and distributions, and identical results at compile time
// and at run time.
#include "kiln_test.hpp"

#include <kiln/random.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

// Run-time copies of compile-time arguments: the optimiser cannot fold a volatile read,
// so whatever uses them is computed by the generated code, not by the compiler.
std::uint64_t at_run_time(std::uint64_t x) {
    volatile std::uint64_t v = x;
    return v;
}

// An engine that replays a fixed list of outputs, to drive the draws through exact cases.
template <class U, std::size_t N>
struct replay_engine {
    using result_type = U;
    U values[N];
    std::size_t next = 0;
    static constexpr U min() { return 0; }
    static constexpr U max() { return static_cast<U>(~U{0}); }
    constexpr U operator()() { return values[next++ % N]; }
};

struct moments {
    double mean, variance;
};

template <class T>
moments moments_of(const std::vector<T>& xs) {
    double sum = 0;
    for (T x : xs) sum += static_cast<double>(x);
    const double mean = sum / static_cast<double>(xs.size());
    double sq = 0;
    for (T x : xs) sq += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
    return {mean, sq / static_cast<double>(xs.size() - 1)};
}

constexpr bool is_permutation_of_iota(const std::size_t* p, std::size_t n) {
    bool seen[64] = {};
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] >= n || seen[p[i]]) return false;
        seen[p[i]] = true;
    }
    return true;
}

// Everything a training run draws, from one seed: compared between compile and run time.
struct draw_record {
    std::uint32_t raw[4];
    double ud;
    float uf;
    std::uint64_t index[3];
    std::size_t order[16];
    friend constexpr bool operator==(const draw_record&, const draw_record&) = default;
};

constexpr draw_record record_draws(kiln::seed s) {
    kiln::default_engine e{s};
    draw_record r{};
    for (auto& x : r.raw) x = e();
    r.ud = kiln::uniform_real(e, -0.5, 2.0);
    r.uf = kiln::uniform_real(e, -3.0f, 0.25f);
    r.index[0] = kiln::uniform_index(e, 10);
    r.index[1] = kiln::uniform_index(e, 0xffffffffu);
    r.index[2] = kiln::uniform_index(e, 0x123456789abcdefu);
    for (std::size_t i = 0; i < 16; ++i) r.order[i] = i;
    kiln::shuffle(e, r.order, 16);
    return r;
}

}  // namespace

TEST_CASE("kiln's engines satisfy std::uniform_random_bit_generator") {
    STATIC_REQUIRE(std::uniform_random_bit_generator<kiln::mt19937>);
    STATIC_REQUIRE(std::uniform_random_bit_generator<kiln::default_engine>);
    STATIC_REQUIRE(kiln::bit_engine<std::mt19937_64>);
    STATIC_REQUIRE_FALSE(kiln::bit_engine<int>);
}

TEST_CASE("mt19937 equals std::mt19937 over the first 10000 outputs for several seeds") {
    for (std::uint32_t s : {0u, 1u, 42u, 5489u, 123456789u, 0xffffffffu}) {
        std::mt19937 reference{s};
        kiln::mt19937 g{s};
        std::size_t mismatches = 0;
        for (int i = 0; i < 10000; ++i) mismatches += g() != reference();
        INFO("seed " << s);
        REQUIRE(mismatches == 0);
    }
}

TEST_CASE("default-seeded mt19937's 10000th output is 4123659995, at run time and at compile time") {
    kiln::mt19937 g;
    g.discard(9999);
    REQUIRE(g() == 4123659995u);
    STATIC_REQUIRE([] {
        kiln::mt19937 c;
        c.discard(9999);
        return c();
    }() == 4123659995u);
}

TEST_CASE("mt19937 seeded with kiln::seed keeps the low 32 bits, and can be a constexpr variable") {
    static constexpr kiln::mt19937 from_seed{kiln::seed{0x5'0000'002aull}};
    STATIC_REQUIRE(from_seed == kiln::mt19937{42u});
    REQUIRE(kiln::mt19937{kiln::seed{0x5'0000'002aull}} == kiln::mt19937{42u});
    REQUIRE_FALSE(kiln::mt19937{kiln::seed{43}} == kiln::mt19937{42u});
}

TEST_CASE("random_sample reproduces NumPy's first three draws after seed 42, bit for bit") {
    kiln::mt19937 g{kiln::seed{42}};
    const double r0 = kiln::random_sample(g), r1 = kiln::random_sample(g), r2 = kiln::random_sample(g);
    REQUIRE(r0 == 0.3745401188473625);
    REQUIRE(r1 == 0.9507143064099162);
    REQUIRE(r2 == 0.7319939418114051);
    REQUIRE(2 * r0 - 1 == -0x1.00f11c3415c28p-2);
    REQUIRE(2 * r1 - 1 == 0x1.cd880d177aca8p-1);
    REQUIRE(2 * r2 - 1 == 0x1.db1fa3c799d44p-2);
}

TEST_CASE("random_sample reproduces NumPy's seed-42 weights at compile time") {
    constexpr auto w = [] {
        kiln::mt19937 g{kiln::seed{42}};
        std::array<double, 3> r{};
        for (auto& x : r) x = 2 * kiln::random_sample(g) - 1;
        return r;
    }();
    STATIC_REQUIRE(w[0] == -0x1.00f11c3415c28p-2);
    STATIC_REQUIRE(w[1] == 0x1.cd880d177aca8p-1);
    STATIC_REQUIRE(w[2] == 0x1.db1fa3c799d44p-2);
}

TEST_CASE("uniform_real(mt19937, -1, 1) gives NumPy's seed-42 weights, so an initialiser reproduces NumPy") {
    constexpr auto w = [] {
        kiln::mt19937 g{42u};
        std::array<double, 3> r{};
        for (auto& x : r) x = kiln::uniform_real(g, -1.0, 1.0);
        return r;
    }();
    STATIC_REQUIRE(w[0] == -0x1.00f11c3415c28p-2);
    STATIC_REQUIRE(w[1] == 0x1.cd880d177aca8p-1);
    STATIC_REQUIRE(w[2] == 0x1.db1fa3c799d44p-2);
    kiln::mt19937 g{static_cast<std::uint32_t>(at_run_time(42))};
    REQUIRE(kiln::uniform_real(g, -1.0, 1.0) == w[0]);
    REQUIRE(kiln::uniform_real(g, -1.0, 1.0) == w[1]);
    REQUIRE(kiln::uniform_real(g, -1.0, 1.0) == w[2]);
}

TEST_CASE("default_engine is PCG32: it reproduces the PCG reference outputs for seed 42, stream 54") {
    static constexpr std::uint32_t expected[] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                                 0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
    kiln::pcg32 e{kiln::seed{at_run_time(42)}, 54};
    for (std::uint32_t x : expected) REQUIRE(e() == x);
    STATIC_REQUIRE([] {
        kiln::pcg32 c{kiln::seed{42}, 54};
        bool ok = true;
        for (std::uint32_t x : expected) ok = ok && c() == x;
        return ok;
    }());
}

TEST_CASE("default_engine is deterministic per seed and differs between seeds and streams") {
    kiln::default_engine a{kiln::seed{7}}, b{kiln::seed{7}}, c{kiln::seed{8}}, d{kiln::seed{7}, 1};
    int same_ab = 0, same_ac = 0, same_ad = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a(), y = b(), z = c(), w = d();
        same_ab += x == y;
        same_ac += x == z;
        same_ad += x == w;
    }
    REQUIRE(same_ab == 1000);
    REQUIRE(same_ac < 5);
    REQUIRE(same_ad < 5);
}

TEST_CASE("every draw gives the same values at compile time as at run time") {
    constexpr draw_record at_compile_time = record_draws(kiln::seed{2024});
    const draw_record run = record_draws(kiln::seed{at_run_time(2024)});
    REQUIRE(run == at_compile_time);
    REQUIRE_FALSE(record_draws(kiln::seed{at_run_time(2025)}) == at_compile_time);
}

TEST_CASE("uniform_real stays within a <= x < b, covers that range, and has the mean and variance of U(a, b)") {
    kiln::default_engine e{kiln::seed{11}};
    const double a = -0.75, b = 2.25;
    std::vector<double> xs(100000);
    for (auto& x : xs) x = kiln::uniform_real(e, a, b);
    const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
    REQUIRE(*lo >= a);
    REQUIRE(*hi < b);
    REQUIRE(*lo < a + 1e-3 * (b - a));
    REQUIRE(*hi > b - 1e-3 * (b - a));
    const auto m = moments_of(xs);
    // Standard error of the mean: (b - a) / sqrt(12 * 1e5) ~ 0.0027; five of them.
    REQUIRE(m.mean == Approx((a + b) / 2).margin(0.014));
    REQUIRE(m.variance == Approx((b - a) * (b - a) / 12).epsilon(0.02));
}

TEST_CASE("uniform_real<float> stays within a <= x < b and has the mean of U(a, b)") {
    kiln::mt19937 g{kiln::seed{5}};
    const float a = 10.0f, b = 10.5f;
    std::vector<float> xs(100000);
    for (auto& x : xs) x = kiln::uniform_real(g, a, b);
    REQUIRE(*std::min_element(xs.begin(), xs.end()) >= a);
    REQUIRE(*std::max_element(xs.begin(), xs.end()) < b);
    REQUIRE(moments_of(xs).mean == Approx(10.25).margin(0.0025));
}

TEST_CASE("uniform_real never returns b, even when a + (b - a) * u rounds up to it") {
    // All-ones engine bits: u = 1 - 2^-53 (double) or 1 - 2^-24 (float), and 1 + u rounds to 2.
    replay_engine<std::uint32_t, 1> ones{{0xffffffffu}};
    STATIC_REQUIRE([] {
        replay_engine<std::uint32_t, 1> e{{0xffffffffu}};
        return kiln::uniform_real(e, 1.0, 2.0);
    }() == 0x1.fffffffffffffp0);
    REQUIRE(kiln::uniform_real(ones, 1.0, 2.0) == 0x1.fffffffffffffp0);
    REQUIRE(kiln::uniform_real(ones, 1.0f, 2.0f) == 0x1.fffffep0f);
    REQUIRE(kiln::uniform_real(ones, -2.0, -1.0) < -1.0);
    REQUIRE(kiln::uniform_real(ones, -1.0, -0.0) < 0.0);
    // Bits of the smallest value give a exactly.
    replay_engine<std::uint32_t, 1> zeros{{0u}};
    REQUIRE(kiln::uniform_real(zeros, 1.0, 2.0) == 1.0);
}

TEST_CASE("uniform_real uses 53 bits of a 64-bit engine in one draw") {
    replay_engine<std::uint64_t, 2> e{{0xffffffffffffffffu, 0u}};
    REQUIRE(kiln::uniform_real(e, 0.0, 1.0) == 0x1.fffffffffffffp-1);
    REQUIRE(kiln::uniform_real(e, 0.0, 1.0) == 0.0);
}

TEST_CASE("uniform_index stays below n for small, 32-bit and 64-bit n") {
    kiln::default_engine e{kiln::seed{3}};
    for (std::uint64_t n : {1ull, 2ull, 3ull, 7ull, 1000ull, 0xffffffffull, 0x100000000ull,
                            0x100000001ull, 0x8000000000000001ull, 0xffffffffffffffffull}) {
        std::uint64_t largest = 0;
        for (int i = 0; i < 2000; ++i) {
            const std::uint64_t k = kiln::uniform_index(e, n);
            REQUIRE(k < n);
            largest = std::max(largest, k);
        }
        INFO("n = " << n);
        // The top tenth of [0, n) is reached (n = 1 has only 0).
        REQUIRE(largest >= n - 1 - (n - 1) / 10);
    }
}

TEST_CASE("uniform_index is unbiased: each of 6 outcomes about 10000 times in 60000") {
    kiln::default_engine e{kiln::seed{9}};
    int counts[6] = {};
    for (int i = 0; i < 60000; ++i) ++counts[kiln::uniform_index(e, 6)];
    for (int c : counts) REQUIRE(std::abs(c - 10000) < 460);  // five standard deviations
}

TEST_CASE("uniform_index over a 64-bit range splits it in the right proportions") {
    // n = 3 * 2^62: a third of the indices lie at or above 2^63.
    kiln::default_engine e{kiln::seed{10}};
    const std::uint64_t n = 3ull << 62;
    int high = 0;
    for (int i = 0; i < 30000; ++i) high += kiln::uniform_index(e, n) >= (1ull << 63);
    REQUIRE(std::abs(high - 10000) < 410);  // five standard deviations
}

TEST_CASE("uniform_index multiplies exactly and rejects the biased products") {
    // 32-bit path: 2^32 mod 3 = 1, so a draw of 0 (product 0) is rejected and redrawn.
    replay_engine<std::uint32_t, 2> e32{{0u, 0x80000000u}};
    REQUIRE(kiln::uniform_index(e32, 3) == 1);
    REQUIRE(e32.next == 2);
    // 64-bit path: the high word of draw * n (products worked out with Python's integers;
    // none of these draws falls below 2^64 mod n, so none is rejected).
    replay_engine<std::uint64_t, 3> e64{{0xfedcba9876543210u, 0x0123456789abcdefu, 0xffffffffffffffffu}};
    const std::uint64_t n = 0x10000000123457u;
    REQUIRE(kiln::uniform_index(e64, n) == 0xfedcba99984e3u);
    REQUIRE(kiln::uniform_index(e64, n) == 0x12345678af73u);
    REQUIRE(kiln::uniform_index(e64, n) == 0x10000000123456u);
    // 64 bits from a 32-bit engine: the first draw is the high half.
    replay_engine<std::uint32_t, 2> halves{{0x80000000u, 0u}};
    REQUIRE(kiln::uniform_index(halves, 1ull << 40) == 1ull << 39);
    // 64-bit rejection: 2^64 mod (2^63 + 1) = 2^63 - 1, so the draw 1 (low word 2^63 + 1)
    // is accepted but 0 (low word 0) is redrawn.
    replay_engine<std::uint64_t, 2> e64r{{0u, 1u}};
    REQUIRE(kiln::uniform_index(e64r, (1ull << 63) + 1) == 0);
    REQUIRE(e64r.next == 2);
}

TEST_CASE("shuffle yields a permutation, the same per seed, different between seeds") {
    auto shuffled = [](std::uint64_t s) {
        std::array<std::size_t, 50> p{};
        for (std::size_t i = 0; i < p.size(); ++i) p[i] = i;
        kiln::default_engine e{kiln::seed{s}};
        kiln::shuffle(e, p.data(), p.size());
        return p;
    };
    const auto p1 = shuffled(1), p1_again = shuffled(1), p2 = shuffled(2);
    REQUIRE(is_permutation_of_iota(p1.data(), p1.size()));
    REQUIRE(is_permutation_of_iota(p2.data(), p2.size()));
    REQUIRE(p1 == p1_again);
    REQUIRE(p1 != p2);
    std::size_t fixed_points = 0;
    for (std::size_t i = 0; i < p1.size(); ++i) fixed_points += p1[i] == i;
    REQUIRE(fixed_points < 10);  // a shuffle that moves little is not a shuffle
    STATIC_REQUIRE([] {
        std::size_t p[40];
        for (std::size_t i = 0; i < 40; ++i) p[i] = i;
        kiln::mt19937 g{kiln::seed{1}};
        kiln::shuffle(g, p, 40);
        return is_permutation_of_iota(p, 40) && p[0] + p[1] + p[2] != 0 + 1 + 2;
    }());
}

TEST_CASE("shuffle makes all six orders of three items equally likely") {
    kiln::default_engine e{kiln::seed{4}};
    int counts[6] = {};
    for (int i = 0; i < 60000; ++i) {
        std::size_t p[3] = {0, 1, 2};
        kiln::shuffle(e, p, 3);
        ++counts[p[0] * 2 + (p[1] > p[2])];  // first item and the order of the other two
    }
    for (int c : counts) REQUIRE(std::abs(c - 10000) < 460);  // five standard deviations
}

TEST_CASE("shuffle of zero or one element draws nothing") {
    replay_engine<std::uint32_t, 1> e{{0u}};
    std::size_t one[1] = {7};
    kiln::shuffle(e, one, 1);
    kiln::shuffle(e, one, 0);
    REQUIRE(one[0] == 7);
    REQUIRE(e.next == 0);
}

TEST_CASE("normal_real over 1e5 draws has the requested mean, variance and normal tails") {
    kiln::default_engine e{kiln::seed{21}};
    const double mean = 1.5, sd = 2.0;
    std::vector<double> xs(100000);
    for (auto& x : xs) x = kiln::normal_real(e, mean, sd);
    const auto m = moments_of(xs);
    // Five standard errors: of the mean sd / sqrt(n) ~ 0.0063, of the variance about 0.45%.
    REQUIRE(m.mean == Approx(mean).margin(0.032));
    REQUIRE(m.variance == Approx(sd * sd).epsilon(0.023));
    double within_1 = 0, beyond_2 = 0, beyond_3 = 0;
    for (double x : xs) {
        const double z = (x - mean) / sd;
        within_1 += z > -1 && z < 1;
        beyond_2 += z < -2 || z > 2;
        beyond_3 += z < -3 || z > 3;
    }
    // 68.27%, 4.55% and 0.27% for a normal distribution, again to five standard errors.
    REQUIRE(within_1 / 1e5 == Approx(0.6827).margin(0.0074));
    REQUIRE(beyond_2 / 1e5 == Approx(0.0455).margin(0.0033));
    REQUIRE(beyond_3 / 1e5 == Approx(0.0027).margin(0.0009));
}

TEST_CASE("normal_real<float> is the double draw rounded once") {
    kiln::mt19937 a{kiln::seed{8}}, b{kiln::seed{8}};
    int differing = 0;
    for (int i = 0; i < 1000; ++i)
        differing += kiln::normal_real(a, 0.5f, 0.25f) != static_cast<float>(kiln::normal_real(b, 0.5, 0.25));
    REQUIRE(differing == 0);
}

TEST_CASE("normal_real depends only on the engine's state and is the same at compile time as at run time") {
    constexpr auto at_compile_time = [] {
        kiln::default_engine e{kiln::seed{77}};
        std::array<double, 8> r{};
        for (auto& x : r) x = kiln::normal_real(e, 0.0, 1.0);
        return r;
    }();
    kiln::default_engine e{kiln::seed{at_run_time(77)}};
    REQUIRE(kiln::normal_real(e, 0.0, 1.0) == at_compile_time[0]);
    kiln::default_engine copy = e;  // no hidden second value: a copy of the engine continues alike
    for (std::size_t i = 1; i < at_compile_time.size(); ++i) {
        const double x = kiln::normal_real(e, 0.0, 1.0);
        REQUIRE(x == at_compile_time[i]);
        REQUIRE(kiln::normal_real(copy, 0.0, 1.0) == x);
    }
}
