// Tests of kiln/simd.hpp, the lanes of the run-time kernels: how a width is cut into vectors,
// half vectors and scalars; that loading, splatting, the square root, exp and on_lanes keep
// every bit; and that layers whose widths leave every kind of remainder train at run time to
// the bits the compiler computes.
#include "kiln_test.hpp"

#include <kiln/kiln.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

/// The values for_lane_blocks<N, T> hands out, in the order it hands them out.
template <std::size_t N, class T>
std::vector<std::size_t> visited() {
    std::vector<std::size_t> seen;
    kiln::detail::for_lane_blocks<N, T>([&]<class V, std::size_t... K>(std::size_t first, std::type_identity<V>, std::index_sequence<K...>) {
        constexpr std::size_t L = kiln::detail::lanes<V, T>;
        static_assert(L >= 1 && sizeof(V) == L * sizeof(T));
        ((void)K, ...);
        for (std::size_t k = 0; k < sizeof...(K); ++k)
            for (std::size_t l = 0; l < L; ++l) seen.push_back(first + k * L + l);
    });
    return seen;
}

template <class T, std::size_t... N>
void check_every_width(std::index_sequence<N...>) {
    const auto check = [](std::size_t n, const std::vector<std::size_t>& seen) {
        INFO("width " << n << ", " << sizeof(T) << "-byte values");
        REQUIRE(seen.size() == n);
        for (std::size_t i = 0; i < n; ++i) CHECK(seen[i] == i);
    };
    (check(N + 1, visited<N + 1, T>()), ...);
}

// A network whose widths leave whole vectors, half vectors and single values, with SSE's
// 4 floats and AVX's 8 alike: 13 = 8 + 4 + 1 = 3 x 4 + 1, 7 = 4 + 3, 5 = 4 + 1; 13 inputs
// to the second layer also leave a short block of the backward pass's eight chains.
using odd_net = kiln::network<float, kiln::dense<3, 13, kiln::tanh>, kiln::dense<13, 7, kiln::sigmoid>,
                              kiln::dense<7, 5, kiln::softmax>>;
constexpr std::size_t odd_rows = 40;

constexpr kiln::dataset<float, odd_rows, 3, 5> odd_data = [] {
    kiln::dataset<float, odd_rows, 3, 5> d{};
    for (std::size_t r = 0; r < odd_rows; ++r) {
        for (std::size_t i = 0; i < 3; ++i) d.rows[r].x[i] = float((r * 7 + i * 5) % 13) / 13.0f - 0.5f;
        d.rows[r].y[r % 5] = 1.0f;
    }
    return d;
}();

enum class run { sgd_online, sgd_batch, sgd_beyond_a_tile, adam_batch };

constexpr odd_net trained(run how, std::uint64_t seed) {
    auto net = odd_net::initialized(kiln::xavier_uniform{}, kiln::seed{seed});
    const kiln::fit_options online{.epochs = 3, .batch_size = 1, .shuffle = true, .seed = kiln::seed{seed}};
    const kiln::fit_options batched{.epochs = 4, .batch_size = 8, .shuffle = true, .seed = kiln::seed{seed}};
    const kiln::fit_options whole{.epochs = 4, .batch_size = 0};  // 40 rows: more than a 32-row tile
    if (how == run::sgd_online) kiln::fit(net, odd_data, kiln::softmax_cross_entropy{}, kiln::sgd{.learning_rate = 0.2}, online);
    if (how == run::sgd_batch) kiln::fit(net, odd_data, kiln::softmax_cross_entropy{}, kiln::sgd{.learning_rate = 0.2}, batched);
    if (how == run::sgd_beyond_a_tile) kiln::fit(net, odd_data, kiln::softmax_cross_entropy{}, kiln::sgd{.learning_rate = 0.2}, whole);
    if (how == run::adam_batch) kiln::fit(net, odd_data, kiln::softmax_cross_entropy{}, kiln::adam{.learning_rate = 0.01}, batched);
    return net;
}

volatile std::uint64_t run_time_seed = 3;  // read at run time: GCC cannot fold the run-time side

// Online SGD where the rows come in order (no look-up ahead), the first layer has no biases,
// or the network is one layer: the first layer's descent computes the next row's first
// layer (train.hpp) on each path.
using unbiased_net = kiln::network<float, kiln::dense<3, 13, kiln::tanh, kiln::no_bias>, kiln::dense<13, 5, kiln::softmax>>;
using single_net = kiln::network<float, kiln::dense<3, 5, kiln::softmax>>;

template <class Net>
constexpr Net trained_online(bool shuffle, std::uint64_t seed) {
    auto net = Net::initialized(kiln::xavier_uniform{}, kiln::seed{seed});
    kiln::fit(net, odd_data, kiln::softmax_cross_entropy{}, kiln::sgd{.learning_rate = 0.2},
              {.epochs = 3, .batch_size = 1, .shuffle = shuffle, .seed = kiln::seed{seed}});
    return net;
}

/// How many of N values on_lanes() gets wrong when it takes exp of each (inputs from
/// `base`, a volatile the compiler cannot see through), or writes past: the values beyond the
/// last whole vector go through a padded vector of their own.
template <class T, std::size_t N>
std::size_t on_lanes_errors(T base) {
    struct {
        T v[N];
        T after[4];
    } block;
    for (std::size_t i = 0; i < N; ++i) block.v[i] = base * T(i + 1) - T(3);
    for (T& a : block.after) a = T(-7);
    T in[N];
    for (std::size_t i = 0; i < N; ++i) in[i] = block.v[i];
    kiln::detail::on_lanes<N, T>(block.v, [](auto z) { return kiln::detail::exp<decltype(z), T>(z); });
    std::size_t errors = 0;
    for (std::size_t i = 0; i < N; ++i) {
        const T expected = kiln::math::exp(in[i]);
        errors += std::memcmp(&block.v[i], &expected, sizeof(T)) != 0;
    }
    for (T a : block.after) errors += a != T(-7);
    return errors;
}
template <class T, std::size_t... N>
std::size_t on_lanes_errors_of_widths(T base, std::index_sequence<N...>) {
    return (on_lanes_errors<T, N + 1>(base) + ...);
}

} // namespace

TEST_CASE("on_lanes gives every one of 1 to 40 values f's bits and writes nothing past them", "[simd]") {
    volatile float fb = 0.37f;
    volatile double db = 0.37;
    CHECK(on_lanes_errors_of_widths<float>(fb, std::make_index_sequence<40>{}) == 0);
    CHECK(on_lanes_errors_of_widths<double>(db, std::make_index_sequence<40>{}) == 0);
}

TEST_CASE("for_lane_blocks hands out every value of widths 1 to 70 once, in order", "[simd]") {
    check_every_width<float>(std::make_index_sequence<70>{});
    check_every_width<double>(std::make_index_sequence<70>{});
}

TEST_CASE("with a vector unit a lane is a native vector of 16 or 32 bytes, without one a scalar", "[simd]") {
    using namespace kiln::detail;
    STATIC_REQUIRE((vector_bytes == 0 || vector_bytes == 16 || vector_bytes == 32));
#if defined(__GNUC__)
    STATIC_REQUIRE(vector_unit == (vector_bytes != 0));  // GCC and Clang have the vector extension
#endif
    STATIC_REQUIRE(lanes<vector_of<float, 16>::type, float> == 4);
    STATIC_REQUIRE(lanes<vector_of<double, 32>::type, double> == 4);
    STATIC_REQUIRE(lanes<float, float> == 1);
}

TEST_CASE("load, strided load, store and splat keep every bit, -0 and NaN included, at any alignment", "[simd]") {
    using namespace kiln::detail;
    if constexpr (vector_bytes != 0) {
        using V = vector_of<float, 16>::type;
        alignas(16) float buffer[9] = {1.5f, -0.0f, std::numeric_limits<float>::quiet_NaN(), 3e-45f, -2.0f, 7.0f, 0.0f, 1e38f, 4.0f};
        const V v = load<V>(buffer + 1);  // not 16-byte aligned
        float out[5] = {};
        store(out + 1, v);
        CHECK(std::memcmp(out + 1, buffer + 1, 4 * sizeof(float)) == 0);
        CHECK(out[0] == 0.0f);
        const V column = load_strided<V>(buffer + 1, 2);  // buffer[1], [3], [5], [7]
        for (int l = 0; l < 4; ++l)
            CHECK(std::bit_cast<std::uint32_t>(float(column[l])) == std::bit_cast<std::uint32_t>(buffer[1 + 2 * l]));
        for (float x : {-0.0f, std::numeric_limits<float>::quiet_NaN(), 3e-45f, -1e38f}) {
            const V s = splat<V>(x);
            for (int l = 0; l < 4; ++l) CHECK(std::bit_cast<std::uint32_t>(float(s[l])) == std::bit_cast<std::uint32_t>(x));
        }
    }
    CHECK(std::bit_cast<std::uint32_t>(splat<float>(-0.0f)) == 0x80000000u);
}

TEST_CASE("the square root of a lane is math.hpp's correctly rounded sqrt, bit for bit", "[simd]") {
    using namespace kiln::detail;
    using V = std::conditional_t<vector_bytes == 0, float, vector_of<float, vector_bytes == 0 ? 16 : vector_bytes>::type>;
    constexpr std::size_t L = lanes<V, float>;
    std::size_t checked = 0, differing = 0;
    // Every 997th bit pattern of the positive floats, subnormals, inf and NaN included, and -0.
    for (std::uint64_t bits = 0; bits <= 0x7fffffffu; bits += 997 * L) {
        float in[L];
        for (std::size_t l = 0; l < L; ++l) in[l] = std::bit_cast<float>(std::uint32_t(bits + l * 997));
        if (bits == 0) in[0] = -0.0f;
        float out[L];
        store(out, kiln::detail::sqrt<V, float>(load<V>(in)));
        for (std::size_t l = 0; l < L; ++l, ++checked)
            differing += std::bit_cast<std::uint32_t>(out[l]) != std::bit_cast<std::uint32_t>(kiln::math::sqrt(in[l]));
    }
    CHECK(checked > 2'000'000);
    CHECK(differing == 0);

    using D = std::conditional_t<vector_bytes == 0, double, vector_of<double, vector_bytes == 0 ? 16 : vector_bytes>::type>;
    constexpr std::size_t M = lanes<D, double>;
    std::size_t differing_d = 0;
    for (std::uint64_t k = 0; k < 200'000; ++k) {
        double in[M];
        for (std::size_t l = 0; l < M; ++l) in[l] = std::bit_cast<double>((k * M + l) * 0x0000'7fff'ffff'ffffull % 0x7ff0'0000'0000'0001ull);
        double out[M];
        store(out, kiln::detail::sqrt<D, double>(load<D>(in)));
        for (std::size_t l = 0; l < M; ++l)
            differing_d += std::bit_cast<std::uint64_t>(out[l]) != std::bit_cast<std::uint64_t>(kiln::math::soft_sqrt(in[l]));
    }
    CHECK(differing_d == 0);
}

/// clamp_by_masks and clamp of V (lanes of 4 or more floats) against the scalar definition on
/// pairs of values around and beyond [-2, 2]; returns how many results differ.
template <class V>
std::size_t clamp_differences() {
    using namespace kiln::detail;
    constexpr std::size_t L = lanes<V, float>;
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    const float values[] = {-3.0f, -2.0f, -0.0f, 0.0f, 1.5f, 2.0f, 2.5f, inf, -inf, nan, -nan, 1e-40f};
    const V lo = splat<V>(-2.0f), hi = splat<V>(2.0f);
    std::size_t differing = 0;
    for (const float a : values)
        for (const float b : values) {
            float in[L], reference[L], by_masks[L], clamped[L];
            for (std::size_t l = 0; l < L; ++l) {
                in[l] = l % 4 == 0 ? a : l % 4 == 1 ? b : l % 4 == 2 ? -a : -b;
                reference[l] = in[l] > -2.0f ? (in[l] < 2.0f ? in[l] : 2.0f) : -2.0f;  // a NaN made lo, as maxps does
            }
            store(by_masks, clamp_by_masks(load<V>(in), lo, hi));
            store(clamped, clamp(load<V>(in), lo, hi));
            differing += std::memcmp(by_masks, reference, sizeof reference) != 0;
            differing += std::memcmp(clamped, reference, sizeof reference) != 0;
        }
    return differing;
}

TEST_CASE("a lane's clamp, by masks or by maxps and minps: the limits, NaN made lo, -0 and inf", "[simd]") {
    using namespace kiln::detail;
    if constexpr (vector_bytes >= 16) CHECK(clamp_differences<vector_of<float, 16>::type>() == 0);
    if constexpr (vector_bytes >= 32) CHECK(clamp_differences<vector_of<float, 32>::type>() == 0);
}

/// Lane exp against math.hpp's float exp on every 1021st bit pattern (both signs: NaN, inf,
/// subnormals, the overflow and underflow limits); returns how many differ.
template <class V>
std::size_t exp_differences(std::size_t& checked) {
    using namespace kiln::detail;
    constexpr std::size_t L = lanes<V, float>;
    std::size_t differing = 0;
    for (std::uint64_t bits = 0; bits <= 0xffffffffu; bits += 1021 * L) {
        float in[L];
        for (std::size_t l = 0; l < L; ++l) in[l] = std::bit_cast<float>(std::uint32_t(bits + l * 1021));
        float out[L];
        store(out, kiln::detail::exp<V, float>(load<V>(in)));
        for (std::size_t l = 0; l < L; ++l, ++checked)
            differing += std::bit_cast<std::uint32_t>(out[l]) != std::bit_cast<std::uint32_t>(kiln::math::exp(in[l]));
    }
    return differing;
}

TEST_CASE("the exp of a lane is math.hpp's float exp, bit for bit, at every width", "[simd]") {
    using namespace kiln::detail;
    std::size_t checked = 0;
    CHECK(exp_differences<float>(checked) == 0);
    if constexpr (vector_bytes >= 16) CHECK(exp_differences<vector_of<float, 16>::type>(checked) == 0);
    if constexpr (vector_bytes >= 32) CHECK(exp_differences<vector_of<float, 32>::type>(checked) == 0);
    CHECK(checked > 4'000'000);
    // Around the limits, where the clamp and the masks decide.
    for (const float x : {kiln::math::detail::exp_hi_limit, kiln::math::detail::exp_lo_limit}) {
        float in[4], out[4];
        for (int d = 0; d < 4; ++d) in[d] = std::bit_cast<float>(std::bit_cast<std::uint32_t>(x) + std::uint32_t(d) - 2u);
        using V = std::conditional_t<vector_bytes == 0, float, vector_of<float, 16>::type>;
        for (std::size_t l = 0; l < 4; l += lanes<V, float>) store(out + l, kiln::detail::exp<V, float>(load<V>(in + l)));
        for (int d = 0; d < 4; ++d) CHECK(std::bit_cast<std::uint32_t>(out[d]) == std::bit_cast<std::uint32_t>(kiln::math::exp(in[d])));
    }
}

TEST_CASE("layers of 13, 7 and 5 outputs train at run time to the compiler's bits: online, batches, beyond a tile, Adam",
          "[simd]") {
    constexpr odd_net online = trained(run::sgd_online, 3);
    constexpr odd_net batch = trained(run::sgd_batch, 3);
    constexpr odd_net whole = trained(run::sgd_beyond_a_tile, 3);
    constexpr odd_net adam = trained(run::adam_batch, 3);
    const std::uint64_t seed = run_time_seed;
    const odd_net online_rt = trained(run::sgd_online, seed);
    const odd_net batch_rt = trained(run::sgd_batch, seed);
    const odd_net whole_rt = trained(run::sgd_beyond_a_tile, seed);
    const odd_net adam_rt = trained(run::adam_batch, seed);
    CHECK(std::memcmp(&online, &online_rt, sizeof online) == 0);
    CHECK(std::memcmp(&batch, &batch_rt, sizeof batch) == 0);
    CHECK(std::memcmp(&whole, &whole_rt, sizeof whole) == 0);
    CHECK(std::memcmp(&adam, &adam_rt, sizeof adam) == 0);
    CHECK_FALSE(online == odd_net::initialized(kiln::xavier_uniform{}, kiln::seed{3}));

    // And the trained network predicts at run time what it predicts inside the compiler.
    struct predictions {
        float y[odd_rows][5];
    };
    constexpr predictions compiled = [] {
        const odd_net net = trained(run::adam_batch, 3);
        predictions out{};
        for (std::size_t r = 0; r < odd_rows; ++r) net.predict(odd_data[r].x, out.y[r]);
        return out;
    }();
    for (std::size_t r = 0; r < odd_rows; ++r) {
        float x[3], y[5];
        for (std::size_t i = 0; i < 3; ++i) x[i] = odd_data[r].x[i] + float(seed - 3);  // + 0, read at run time
        adam_rt.predict(x, y);
        CHECK(std::memcmp(y, compiled.y[r], sizeof y) == 0);
    }
}

TEST_CASE("online SGD in order, without first-layer biases, and of a single layer trains at run time to the compiler's bits",
          "[simd]") {
    constexpr odd_net in_order = trained_online<odd_net>(false, 3);
    constexpr unbiased_net unbiased = trained_online<unbiased_net>(true, 3);
    constexpr single_net single = trained_online<single_net>(false, 3);
    const std::uint64_t seed = run_time_seed;
    const odd_net in_order_rt = trained_online<odd_net>(false, seed);
    const unbiased_net unbiased_rt = trained_online<unbiased_net>(true, seed);
    const single_net single_rt = trained_online<single_net>(false, seed);
    CHECK(std::memcmp(&in_order, &in_order_rt, sizeof in_order) == 0);
    CHECK(std::memcmp(&unbiased, &unbiased_rt, sizeof unbiased) == 0);
    CHECK(std::memcmp(&single, &single_rt, sizeof single) == 0);
    CHECK_FALSE(single == single_net::initialized(kiln::xavier_uniform{}, kiln::seed{3}));
}
