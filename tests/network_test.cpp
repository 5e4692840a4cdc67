// Tests for kiln/network.hpp: a network's type-level shape, its aggregate storage (a
// constexpr variable), predict() against hand computation through two layers, and
// initialized() drawing every weight and zeroing every bias. That layers whose sizes
// do not chain are refused is tests/fail/network_layers_do_not_chain.cpp.
#include "kiln_test.hpp"

#include <kiln/network.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace {

using two_layer = kiln::network<double, kiln::dense<2, 3, kiln::relu>, kiln::dense<3, 1, kiln::sigmoid>>;

// Layer 0: W = [[1, -1], [2, 0.5], [-3, 1]] (row o: output o's weights), b = [0, 0.5, 1];
// layer 1: W = [1, -2, 0.5], b = [0.25]. Weights are stored input-major.
constexpr two_layer known{kiln::dense<2, 3, kiln::relu>::params<double>{.w = {1, 2, -3, -1, 0.5, 1}, .b = {0, 0.5, 1}},
                          kiln::dense<3, 1, kiln::sigmoid>::params<double>{.w = {1, -2, 0.5}, .b = {0.25}}};

double hand_predict(double x0, double x1) {
    const double h0 = std::fmax(0.0, 1 * x0 - 1 * x1 + 0);
    const double h1 = std::fmax(0.0, 2 * x0 + 0.5 * x1 + 0.5);
    const double h2 = std::fmax(0.0, -3 * x0 + 1 * x1 + 1);
    const double z = 1 * h0 - 2 * h1 + 0.5 * h2 + 0.25;
    return 1 / (1 + std::exp(-z));
}

} // namespace

TEST_CASE("a network's shape is in its type", "[network]") {
    STATIC_REQUIRE(two_layer::depth == 2);
    STATIC_REQUIRE(two_layer::inputs == 2);
    STATIC_REQUIRE(two_layer::outputs == 1);
    STATIC_REQUIRE(std::is_same_v<two_layer::value_type, double>);
    STATIC_REQUIRE(std::is_same_v<two_layer::input_type, std::array<double, 2>>);
    STATIC_REQUIRE(std::is_same_v<two_layer::output_type, std::array<double, 1>>);
    STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(known.layer<1>())>,
                                  kiln::dense<3, 1, kiln::sigmoid>::params<double>>);
    // Nothing but the parameters: 6 + 3 + 3 + 1 doubles.
    STATIC_REQUIRE(sizeof(two_layer) == 13 * sizeof(double));
    STATIC_REQUIRE(std::is_trivially_copyable_v<two_layer>);
}

TEST_CASE("a network is a constexpr variable built from its layers' parameters, which read back", "[network]") {
    STATIC_REQUIRE(known.layer<0>().weight(2, 0) == -3.0);
    STATIC_REQUIRE(known.layer<0>().b[1] == 0.5);
    STATIC_REQUIRE(known.layer<1>().b[0] == 0.25);
    two_layer copy = known;
    CHECK(copy == known);
    copy.layer<1>().w[2] = 0.75;
    CHECK(copy != known);
    STATIC_REQUIRE(two_layer::parameter_count == 13);
    STATIC_REQUIRE(two_layer{} == two_layer{two_layer::params_type<0>{}, two_layer::params_type<1>{}});
}

TEST_CASE("for_each_layer visits every layer in order with its index and parameters", "[network]") {
    constexpr auto visited = [] {
        struct seen {
            std::size_t order[2];
            double first_weight[2];
            std::size_t counted = 0;
        } r{};
        std::size_t k = 0;
        known.for_each_layer([&](auto index, const auto& p) {
            r.order[k] = index.value;
            r.first_weight[k] = p.weight(0, 0);
            r.counted += std::remove_cvref_t<decltype(p)>::parameter_count;
            ++k;
        });
        return r;
    }();
    STATIC_REQUIRE(visited.order[0] == 0);
    STATIC_REQUIRE(visited.order[1] == 1);
    STATIC_REQUIRE(visited.first_weight[0] == 1.0);
    STATIC_REQUIRE(visited.first_weight[1] == 1.0);
    STATIC_REQUIRE(visited.counted == two_layer::parameter_count);
    two_layer m = known;
    m.for_each_layer([](auto, auto& p) { p.bias(0) = 9; });
    CHECK(m.layer<0>().bias(0) == 9);
    CHECK(m.layer<1>().bias(0) == 9);
}

TEST_CASE("predict() equals the hand computation through both layers", "[network]") {
    for (const auto& x : {std::array<double, 2>{0, 0}, {1, 0}, {0.5, -2}, {-1, 3}, {2, 2}}) {
        INFO("x = " << x[0] << ", " << x[1]);
        const double expected = hand_predict(x[0], x[1]);
        CHECK(std::fabs(known.predict(x)[0] - expected) <= 4e-16);
        double out[1]{};
        const double in[2] = {x[0], x[1]};
        known.predict(in, out);
        CHECK(out[0] == known.predict(x)[0]);
    }
}

TEST_CASE("predict() at compile time, and the same bits at run time", "[network][constexpr]") {
    // relu layer: h = [0, 1, 2], z = -2 + 1 + 0.25 = -0.75, sigmoid(-0.75) = 0.320821300824607.
    constexpr double p = known.predict({0, 1})[0];
    STATIC_REQUIRE(p > 0.3208213008246 && p < 0.3208213008247);
    volatile double x1 = 1;
    CHECK(known.predict({0, x1})[0] == p);
}

TEST_CASE("a network without biases and a float network predict as by hand", "[network]") {
    using nb = kiln::network<float, kiln::dense<2, 2, kiln::identity, kiln::no_bias>,
                             kiln::dense<2, 1, kiln::identity, kiln::no_bias>>;
    STATIC_REQUIRE(sizeof(nb) == 6 * sizeof(float));
    // W0 = [[1, 2], [3, 4]] stored input-major; h = [1 + 4, 3 + 8] = [5, 11]; y = 2.5 - 11.
    constexpr nb n{nb::params_type<0>{.w = {1, 3, 2, 4}}, nb::params_type<1>{.w = {0.5f, -1}}};
    STATIC_REQUIRE(n.predict({1, 2})[0] == -8.5f);
}

TEST_CASE("initialized() draws every weight, zeroes every bias, and is fixed by its seed", "[network][init]") {
    using net = kiln::network<double, kiln::dense<3, 4, kiln::tanh>, kiln::dense<4, 2, kiln::softmax>>;
    constexpr net a = net::initialized(kiln::uniform{-1, 1}, kiln::seed{5});
    constexpr net b = net::initialized(kiln::uniform{-1, 1}, kiln::seed{5});
    constexpr net c = net::initialized(kiln::uniform{-1, 1}, kiln::seed{6});
    STATIC_REQUIRE(a == b);
    STATIC_REQUIRE(!(a == c));
    for (double bias : a.layer<0>().b) CHECK(bias == 0.0);
    for (double bias : a.layer<1>().b) CHECK(bias == 0.0);
    for (double w : a.layer<0>().w) CHECK((w != 0.0 && w >= -1.0 && w < 1.0));
    for (double w : a.layer<1>().w) CHECK((w != 0.0 && w >= -1.0 && w < 1.0));
    volatile std::uint64_t five = 5;  // a run-time seed: GCC folds a call whose arguments are constants
    CHECK(net::initialized(kiln::uniform{-1, 1}, kiln::seed{five}) == a);  // run time = compile time

    // An engine passed in is used layer by layer, output by output, each output's inputs in
    // order (whatever the storage layout).
    kiln::pcg32 e{kiln::seed{5}};
    const net d = net::initialized(kiln::uniform{-1, 1}, e);
    CHECK(d == a);
    kiln::pcg32 f{kiln::seed{5}};
    for (std::size_t o = 0; o < 4; ++o)
        for (std::size_t i = 0; i < 3; ++i) CHECK(a.layer<0>().weight(o, i) == kiln::uniform_real<double>(f, -1.0, 1.0));
    for (std::size_t o = 0; o < 2; ++o)
        for (std::size_t i = 0; i < 4; ++i) CHECK(a.layer<1>().weight(o, i) == kiln::uniform_real<double>(f, -1.0, 1.0));
    CHECK(e == f);
}

TEST_CASE("all_within() is false for a weight beyond the bound, inf or NaN, also for layers of many weights",
          "[network]") {
    CHECK(known.all_within(3.0));
    CHECK(!known.all_within(2.5));  // layer 0 holds -3
    two_layer bad = known;
    bad.layer<1>().b[0] = std::numeric_limits<double>::quiet_NaN();
    CHECK(!bad.all_within(1e300));
    bad.layer<1>().b[0] = std::numeric_limits<double>::infinity();
    CHECK(!bad.all_within(1e300));
    STATIC_REQUIRE(known.all_within(3.0));

    // 20 x 16 = 320 weights: more than Clang's default fold nesting limit (256) allows in one fold.
    using mid = kiln::network<float, kiln::dense<20, 16, kiln::relu>, kiln::dense<16, 300, kiln::identity>>;
    static mid m = mid::initialized(kiln::uniform{-1, 1}, kiln::seed{3});
    CHECK(m.all_within(1.0f));
    m.layer<1>().w[4799] = 2.0f;
    CHECK(!m.all_within(1.0f));
}

TEST_CASE("initialize() in place draws what initialized() returns, biases zeroed", "[network][init]") {
    using net = kiln::network<float, kiln::dense<3, 4, kiln::relu>, kiln::dense<4, 2, kiln::identity>>;
    net n{};
    n.layer<0>().bias(1) = 5;  // whatever was there before is replaced
    volatile std::uint64_t seed = 9;
    n.initialize(kiln::he_uniform{}, kiln::seed{seed});
    CHECK(n == net::initialized(kiln::he_uniform{}, kiln::seed{9}));
    CHECK(n.layer<0>().bias(1) == 0.0f);
}
