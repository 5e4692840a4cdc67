// Tests for kiln/init.hpp: the seed's initial weights reproduced bit for bit, the ranges
// and spreads of the Glorot and He initialisers measured over a large layer, and the same
// weights for the same seed at compile time and at run time.
#include "kiln_test.hpp"

#include <kiln/init.hpp>
#include <kiln/network.hpp>

#include <cmath>
#include <cstddef>
#include <memory>
#include <type_traits>

namespace {

// The seed's perceptron: 3 inputs, one sigmoid output, no bias.
using seed_net = kiln::network<double, kiln::dense<3, 1, kiln::sigmoid, kiln::no_bias>>;

constexpr seed_net seed_initial = [] {
    kiln::mt19937 engine{42};
    return seed_net::initialized(kiln::uniform{-1, 1}, engine);
}();

// A layer large enough for its weights' statistics: 200 x 300 = 60000 weights.
constexpr std::size_t fan_in = 200, fan_out = 300;
using big_layer = kiln::network<double, kiln::dense<fan_in, fan_out, kiln::relu>>;

struct stats {
    double mean, stddev, lowest, highest;
};

template <class Init>
stats stats_of(const Init& init, unsigned long long seed) {
    const auto net = std::make_unique<big_layer>(big_layer::initialized(init, kiln::seed{seed}));
    const auto& w = net->template layer<0>().w;
    constexpr std::size_t n = fan_in * fan_out;
    double sum = 0, lowest = w[0], highest = w[0];
    for (double x : w) sum += x, lowest = std::fmin(lowest, x), highest = std::fmax(highest, x);
    const double mean = sum / n;
    double sq = 0;
    for (double x : w) sq += (x - mean) * (x - mean);
    return {mean, std::sqrt(sq / (n - 1)), lowest, highest};
}

} // namespace

TEST_CASE("uniform{-1, 1} with mt19937{42} gives the seed's initial weights bit for bit", "[init][seed]") {
    STATIC_REQUIRE(seed_initial.layer<0>().w[0] == -0x1.00f11c3415c28p-2);
    STATIC_REQUIRE(seed_initial.layer<0>().w[1] == 0x1.cd880d177aca8p-1);
    STATIC_REQUIRE(seed_initial.layer<0>().w[2] == 0x1.db1fa3c799d44p-2);
    // -0.250919762305275, 0.9014286128198323, 0.4639878836228102 as NumPy prints them
    CHECK(seed_initial.layer<0>().w[0] == -0.250919762305275);
    CHECK(seed_initial.layer<0>().w[1] == 0.9014286128198323);
    CHECK(seed_initial.layer<0>().w[2] == 0.4639878836228102);
    kiln::mt19937 engine{42};
    CHECK(seed_net::initialized(kiln::uniform{-1, 1}, engine) == seed_initial);
}

TEST_CASE("uniform and normal draw within their parameters", "[init]") {
    const stats u = stats_of(kiln::uniform{-0.5, 0.25}, 1);
    CHECK(u.lowest >= -0.5);
    CHECK(u.highest < 0.25);
    CHECK(u.lowest < -0.499);
    CHECK(u.highest > 0.249);
    CHECK(std::fabs(u.mean - -0.125) < 0.005);
    const stats n = stats_of(kiln::normal{1.0, 0.1}, 2);
    CHECK(std::fabs(n.mean - 1.0) < 0.002);
    CHECK(std::fabs(n.stddev / 0.1 - 1) < 0.02);
    const stats d = stats_of(kiln::normal{}, 3);  // documented default: mean 0, stddev 0.05
    CHECK(std::fabs(d.mean) < 0.001);
    CHECK(std::fabs(d.stddev / 0.05 - 1) < 0.02);
}

TEST_CASE("Glorot/Xavier: uniform within +-sqrt(6 / (in + out)), normal with stddev sqrt(2 / (in + out))",
          "[init]") {
    const double limit = std::sqrt(6.0 / (fan_in + fan_out));
    const stats u = stats_of(kiln::xavier_uniform{}, 4);
    CHECK(u.lowest >= -limit);
    CHECK(u.highest < limit);
    CHECK(u.highest > 0.999 * limit);  // the range is used to its ends
    CHECK(u.lowest < -0.999 * limit);
    CHECK(std::fabs(u.stddev / (limit / std::sqrt(3.0)) - 1) < 0.02);
    const stats n = stats_of(kiln::xavier_normal{}, 5);
    CHECK(std::fabs(n.mean) < 0.01 * std::sqrt(2.0 / (fan_in + fan_out)));
    CHECK(std::fabs(n.stddev / std::sqrt(2.0 / (fan_in + fan_out)) - 1) < 0.02);
    CHECK(std::is_same_v<kiln::glorot_uniform, kiln::xavier_uniform>);
    CHECK(std::is_same_v<kiln::glorot_normal, kiln::xavier_normal>);
}

TEST_CASE("He: uniform within +-sqrt(6 / in), normal with stddev sqrt(2 / in)", "[init]") {
    const double limit = std::sqrt(6.0 / fan_in);
    const stats u = stats_of(kiln::he_uniform{}, 6);
    CHECK(u.lowest >= -limit);
    CHECK(u.highest < limit);
    CHECK(u.highest > 0.999 * limit);
    CHECK(u.lowest < -0.999 * limit);
    CHECK(std::fabs(u.stddev / (limit / std::sqrt(3.0)) - 1) < 0.02);
    const stats n = stats_of(kiln::he_normal{}, 7);
    CHECK(std::fabs(n.mean) < 0.01 * std::sqrt(2.0 / fan_in));
    CHECK(std::fabs(n.stddev / std::sqrt(2.0 / fan_in) - 1) < 0.02);
}

TEST_CASE("each layer's initialiser sees that layer's fan-in and fan-out", "[init]") {
    using net = kiln::network<double, kiln::dense<2, 6, kiln::relu>, kiln::dense<6, 30, kiln::relu>>;
    const net n = net::initialized(kiln::he_uniform{}, kiln::seed{8});
    for (double w : n.layer<0>().w) CHECK(std::fabs(w) < std::sqrt(6.0 / 2));
    double widest = 0;
    for (double w : n.layer<1>().w) widest = std::fmax(widest, std::fabs(w));
    CHECK(widest < std::sqrt(6.0 / 6));
    CHECK(widest > 0.9 * std::sqrt(6.0 / 6));
}

TEST_CASE("the same seed gives the same weights, at compile time and at run time, and another seed differs",
          "[init][constexpr]") {
    using net = kiln::network<float, kiln::dense<4, 5, kiln::tanh>, kiln::dense<5, 3, kiln::softmax>>;
    constexpr net a = net::initialized(kiln::xavier_normal{}, kiln::seed{11});
    constexpr net b = net::initialized(kiln::xavier_normal{}, kiln::seed{12});
    STATIC_REQUIRE(!(a == b));
    STATIC_REQUIRE(a == net::initialized(kiln::xavier_normal{}, kiln::seed{11}));
    volatile unsigned long long s = 11;
    CHECK(net::initialized(kiln::xavier_normal{}, kiln::seed{s}) == a);
    constexpr net c = net::initialized(kiln::he_uniform{}, kiln::seed{11});
    CHECK(net::initialized(kiln::he_uniform{}, kiln::seed{s}) == c);
    for (float w : c.layer<0>().w) CHECK((w > -std::sqrt(6.0f / 4) && w < std::sqrt(6.0f / 4)));
}
