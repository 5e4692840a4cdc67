// Tests for kiln/metrics.hpp: argmax, accuracy (argmax over several outputs, the 0.5
// threshold for one), evaluate (the mean of the rows' losses), mean absolute error and
// the confusion matrix, on networks whose outputs are known exactly (identity layers
// with identity weights), at compile time and at run time.
#include "kiln_test.hpp"

#include <kiln/kiln.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

namespace {

// Output = input.
using pass3 = kiln::network<double, kiln::dense<3, 3, kiln::identity>>;
constexpr pass3 echo3{pass3::params_type<0>{.w = {1, 0, 0, 0, 1, 0, 0, 0, 1}, .b = {0, 0, 0}}};
using pass1 = kiln::network<double, kiln::dense<1, 1, kiln::identity>>;
constexpr pass1 echo1{pass1::params_type<0>{.w = {1}, .b = {0}}};

// Predicted classes (argmax of x): 0, 1, 2, 2, 1; target classes: 0, 1, 1, 2, 0.
constexpr kiln::dataset<double, 5, 3, 3> three_class{{
    {{0.9, 0.05, 0.05}, {1, 0, 0}},
    {{0.1, 0.8, 0.1}, {0, 1, 0}},
    {{0.2, 0.3, 0.5}, {0, 1, 0}},
    {{0.0, 0.4, 0.6}, {0, 0, 1}},
    {{0.3, 0.4, 0.3}, {1, 0, 0}},
}};

// One output read with the 0.5 threshold (0.5 itself is class 1): predicted 0, 1, 1, 0; targets 0, 1, 0, 1.
constexpr kiln::dataset<double, 4, 1, 1> two_class{{{{0.2}, {0}}, {{0.5}, {1}}, {{0.75}, {0}}, {{0.49}, {1}}}};

} // namespace

TEST_CASE("argmax is the first index of the largest value", "[metrics]") {
    STATIC_REQUIRE(kiln::argmax(std::array<double, 4>{1, 3, 3, 2}) == 1);
    STATIC_REQUIRE(kiln::argmax(std::array<float, 1>{-5}) == 0);
    STATIC_REQUIRE(kiln::argmax(std::array<double, 3>{-1, -2, -0.5}) == 2);
}

TEST_CASE("accuracy: the argmax of several outputs, the 0.5 threshold for one, at compile time", "[metrics]") {
    STATIC_REQUIRE(kiln::accuracy(echo3, three_class) == 3.0 / 5);
    STATIC_REQUIRE(kiln::accuracy(echo1, two_class) == 2.0 / 4);
    const std::vector<kiln::sample<double, 3, 3>> rows(three_class.begin(), three_class.end());
    CHECK(kiln::accuracy(echo3, kiln::dataset_view<double, 3, 3>{rows}) == 0.6);
    CHECK(kiln::accuracy(echo3, kiln::dataset_view<double, 3, 3>{}) == 0.0);  // no rows
}

TEST_CASE("mean absolute error: the mean over rows and outputs of |target - output|", "[metrics]") {
    // |0.2 - 0| + |0.5 - 1| + |0.75 - 0| + |0.49 - 1| = 0.2 + 0.5 + 0.75 + 0.51 = 1.96
    STATIC_REQUIRE(kiln::mean_absolute_error(echo1, two_class) > 0.49 - 1e-15);
    STATIC_REQUIRE(kiln::mean_absolute_error(echo1, two_class) < 0.49 + 1e-15);
    // Row sums: 0.2, 0.4, 1.4, 0.8, 1.4 over 15 values.
    CHECK(kiln::mean_absolute_error(echo3, three_class) == Approx(4.2 / 15).epsilon(1e-14));
}

TEST_CASE("confusion matrix: counts by target class, then predicted class, and their total, at compile time", "[metrics]") {
    constexpr kiln::confusion_matrix m(echo3, three_class);
    STATIC_REQUIRE(m.total() == 5);
    STATIC_REQUIRE(m(0, 0) == 1);
    STATIC_REQUIRE(m(0, 1) == 1);
    STATIC_REQUIRE(m(1, 1) == 1);
    STATIC_REQUIRE(m(1, 2) == 1);
    STATIC_REQUIRE(m(2, 2) == 1);
    STATIC_REQUIRE(m(0, 2) == 0);
    STATIC_REQUIRE(m(2, 0) == 0);
    STATIC_REQUIRE(m(1, 0) == 0);
    STATIC_REQUIRE(m.counts.size() == 3);

    constexpr kiln::confusion_matrix b(echo1, two_class);  // one output: two classes
    STATIC_REQUIRE(b.counts.size() == 2);
    STATIC_REQUIRE(b(0, 0) == 1);
    STATIC_REQUIRE(b(0, 1) == 1);
    STATIC_REQUIRE(b(1, 1) == 1);
    STATIC_REQUIRE(b(1, 0) == 1);
    STATIC_REQUIRE(b.total() == 4);
    // The diagonal over the total is the accuracy.
    STATIC_REQUIRE(double(m(0, 0) + m(1, 1) + m(2, 2)) / double(m.total()) == kiln::accuracy(echo3, three_class));
}

TEST_CASE("evaluate: the mean over rows of each row's loss", "[metrics]") {
    // Each row's squared-error loss is 1/2 sum_o (x_o - y_o)^2.
    double expected = 0;
    for (const auto& s : three_class)
        for (std::size_t o = 0; o < 3; ++o) expected += 0.5 * (s.x[o] - s.y[o]) * (s.x[o] - s.y[o]);
    expected /= 5;
    CHECK(kiln::evaluate(echo3, three_class, kiln::squared_error{.reduction = kiln::reduction::sum}) == Approx(expected).epsilon(1e-15));
    constexpr double bce = kiln::evaluate(echo1, two_class, kiln::binary_cross_entropy{});
    const double bce_expected = -(std::log(0.8) + std::log(0.5) + std::log(0.25) + std::log(0.49)) / 4;
    CHECK(bce == Approx(bce_expected).epsilon(1e-14));
}

TEST_CASE("evaluate with kiln's losses gives the same bits at compile time and at run time", "[metrics]") {
    constexpr double sq = kiln::evaluate(echo3, three_class, kiln::squared_error{.reduction = kiln::reduction::sum});
    constexpr double bce = kiln::evaluate(echo1, two_class, kiln::binary_cross_entropy{});
    constexpr double cce = kiln::evaluate(echo3, three_class, kiln::categorical_cross_entropy{});
    STATIC_REQUIRE(sq > 0);
    STATIC_REQUIRE(cce > 0);
    // Categorical cross-entropy: -log of the probability given to the right class, averaged.
    const double cce_expected =
        -(std::log(0.9) + std::log(0.8) + std::log(0.3) + std::log(0.6) + std::log(0.3)) / 5;
    CHECK(cce == Approx(cce_expected).epsilon(1e-14));
    volatile double scale = 1;  // keeps the run-time calls from being folded by the compiler
    pass3 copy = echo3;
    copy.layer<0>().w[0] *= scale;
    pass1 copy1 = echo1;
    copy1.layer<0>().w[0] *= scale;
    CHECK(kiln::evaluate(copy, three_class, kiln::squared_error{.reduction = kiln::reduction::sum}) == sq);
    CHECK(kiln::evaluate(copy1, two_class, kiln::binary_cross_entropy{}) == bce);
    CHECK(kiln::evaluate(copy, three_class, kiln::categorical_cross_entropy{}) == cce);
}
