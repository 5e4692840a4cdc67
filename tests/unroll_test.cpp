// Tests of kiln/unroll.hpp's rule: layers wider than a fold may hold (Clang refuses folds of
// more than 256 terms) compile on both compilers and compute the same sums in the same order.
#include "kiln_test.hpp"

#include <kiln/kiln.hpp>

#include <cstdint>
#include <cstring>

namespace {

constexpr std::size_t wide = 300;  // past both kiln's fold limit and Clang's 256-term limit
using wide_net = kiln::network<double, kiln::dense<wide, 2, kiln::sigmoid>, kiln::dense<2, wide, kiln::identity>>;

constexpr kiln::dataset<double, 3, wide, wide> wide_rows = [] {
    kiln::dataset<double, 3, wide, wide> d{};
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t i = 0; i < wide; ++i) {
            d.rows[r].x[i] = double((i * 7 + r * 3) % 11) / 11.0;
            d.rows[r].y[i] = double((i + r) % 2);
        }
    return d;
}();

constexpr wide_net trained_wide(kiln::seed s) {
    auto net = wide_net::initialized(kiln::xavier_uniform{}, s);
    kiln::fit(net, wide_rows, kiln::squared_error{.reduction = kiln::reduction::mean}, kiln::sgd{.learning_rate = 0.1},
              {.epochs = 2, .batch_size = 2});
    return net;
}

} // namespace

TEST_CASE("a layer of 300 inputs sums them left to right, as a loop, at compile time and at run time", "[unroll]") {
    STATIC_REQUIRE(!kiln::detail::folds<wide>);
    constexpr wide_net net = wide_net::initialized(kiln::xavier_uniform{}, kiln::seed{5});
    double expected = net.layer<0>().weight(0, 0) * wide_rows[0].x[0];
    for (std::size_t i = 1; i < wide; ++i) expected += net.layer<0>().weight(0, i) * wide_rows[0].x[i];
    expected += net.layer<0>().b[0];
    const double sigmoid = 1.0 / (1.0 + kiln::math::exp(-expected));

    double in[1][wide]{}, out[1][2]{};
    for (std::size_t i = 0; i < wide; ++i) in[0][i] = wide_rows[0].x[i];
    kiln::dense<wide, 2, kiln::sigmoid>::forward(net.layer<0>(), in, out, 1);
    CHECK(out[0][0] == sigmoid);
}

TEST_CASE("a 300-300 network trains inside the compiler with the same bits as at run time", "[unroll]") {
    constexpr wide_net compiled = trained_wide(kiln::seed{5});
    volatile std::uint64_t seed = 5;  // so that GCC cannot run this training in the compiler too
    const wide_net run_time = trained_wide(kiln::seed{seed});
    CHECK(std::memcmp(&compiled, &run_time, sizeof compiled) == 0);
    CHECK_FALSE(compiled == wide_net::initialized(kiln::xavier_uniform{}, kiln::seed{5}));
}
