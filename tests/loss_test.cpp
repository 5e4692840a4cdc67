// Tests for kiln/loss.hpp: the losses' values and gradients (against finite differences),
// their reductions, clipping of cross-entropy at the documented epsilon (finite, never
// NaN, also at compile time), the fused gradients, and which losses may follow which
// output activation.
#include "kiln_test.hpp"

#include <kiln/loss.hpp>

#include <cmath>
#include <cstddef>
#include <type_traits>

namespace {

constexpr bool is_finite(double x) { return x - x == 0; }
constexpr bool is_finite(float x) { return x - x == 0; }

constexpr kiln::squared_error mean_squared_error{.reduction = kiln::reduction::mean};

/// |gradient<W>(a, y) - d value<W>(a, y) / da| by a central difference, relative to max(1, |gradient|).
template <std::size_t W, class Loss>
double gradient_error(const Loss& loss, double a, double y) {
    constexpr double h = 1e-7;
    const double numeric = (loss.template value<W>(a + h, y) - loss.template value<W>(a - h, y)) / (2 * h);
    const double analytic = loss.template gradient<W>(a, y);
    return std::fabs(analytic - numeric) / std::fmax(1.0, std::fabs(analytic));
}

} // namespace

TEST_CASE("squared error: half the squared difference summed, or the mean over outputs", "[loss]") {
    constexpr kiln::squared_error sum{.reduction = kiln::reduction::sum};
    // Every loss averages a batch unless told otherwise.
    STATIC_REQUIRE(kiln::squared_error{}.reduction == kiln::reduction::mean);
    STATIC_REQUIRE(kiln::binary_cross_entropy{}.reduction == kiln::reduction::mean);
    STATIC_REQUIRE(kiln::categorical_cross_entropy{}.reduction == kiln::reduction::mean);
    STATIC_REQUIRE(kiln::softmax_cross_entropy{}.reduction == kiln::reduction::mean);
    STATIC_REQUIRE(sum.value<3>(0.75, 0.25) == 0.125);
    STATIC_REQUIRE(sum.gradient<3>(0.75, 0.25) == 0.5);
    STATIC_REQUIRE(mean_squared_error.value<4>(1.5, 0.5) == 0.25);
    STATIC_REQUIRE(mean_squared_error.gradient<4>(1.5, 0.5) == 0.5);

    constexpr double a[2][2] = {{1.0, 2.0}, {0.0, 0.5}}, y[2][2] = {{0.0, 0.0}, {1.0, 1.0}};
    STATIC_REQUIRE(kiln::total_loss(sum, a, y, 1) == 2.5);                    // (1 + 4) / 2
    STATIC_REQUIRE(kiln::total_loss(sum, a, y, 2) == 2.5 + 0.625);            // + (1 + 0.25) / 2
    STATIC_REQUIRE(kiln::total_loss(mean_squared_error, a, y, 2) == 2.5 + 0.625);  // (1 + 4) / W + (1 + 0.25) / W, W = 2
    double g[2][2]{};
    kiln::loss_gradients(sum, a, y, g, 2);
    CHECK(g[0][1] == 2.0);
    CHECK(g[1][1] == -0.5);
    kiln::loss_gradients(mean_squared_error, a, y, g, 1);
    CHECK(g[0][1] == 2.0);  // 2 (2 - 0) / 2
    CHECK(g[1][1] == -0.5);  // row 1 untouched
}

TEST_CASE("the seed's confident wrong answer: BCE of p = 1 against 0 is -log(1e-7), finite, never NaN",
          "[loss][seed]") {
    constexpr kiln::binary_cross_entropy bce{};
    STATIC_REQUIRE(bce.epsilon == 1e-7);
    STATIC_REQUIRE(is_finite(bce.value<1>(1.0, 0.0)));
    STATIC_REQUIRE(is_finite(bce.value<1>(0.0, 1.0)));
    STATIC_REQUIRE(is_finite(bce.value<1>(1.0f, 0.0f)));
    STATIC_REQUIRE(is_finite(bce.value<1>(0.0f, 1.0f)));
    STATIC_REQUIRE(bce.value<1>(1.0, 1.0) >= 0.0);
    const double expected = -std::log(1e-7);
    CHECK(std::fabs(bce.value<1>(1.0, 0.0) - expected) <= 1e-9 * expected);
    CHECK(std::fabs(bce.value<1>(0.0, 1.0) - expected) <= 1e-9 * expected);
    CHECK(bce.value<1>(1.0, 0.0) == Approx(16.118).epsilon(1e-4));  // the figure loss.hpp quotes
    // Clipped: the gradient of the clipped loss is 0, not inf.
    CHECK(bce.gradient<1>(1.0, 0.0) == 0.0);
    CHECK(bce.gradient<1>(0.0, 1.0) == 0.0);
}

TEST_CASE("binary cross-entropy: values and gradients inside the clipping range", "[loss]") {
    constexpr kiln::binary_cross_entropy bce{};
    CHECK(bce.value<1>(0.8, 1.0) == Approx(-std::log(0.8)).epsilon(1e-14));
    CHECK(bce.value<1>(0.8, 0.0) == Approx(-std::log(0.2)).epsilon(1e-14));
    CHECK(bce.value<1>(0.3, 0.25) == Approx(-(0.25 * std::log(0.3) + 0.75 * std::log(0.7))).epsilon(1e-14));
    for (double a : {0.01, 0.2, 0.5, 0.7, 0.999})
        for (double y : {0.0, 0.3, 1.0}) {
            INFO("a = " << a << ", y = " << y);
            CHECK(gradient_error<1>(bce, a, y) < 1e-6);
        }
    STATIC_REQUIRE(bce.fused_gradient<1>(0.75, 1.0) == -0.25);
    STATIC_REQUIRE(std::is_same_v<kiln::binary_cross_entropy::fused_with, kiln::sigmoid>);
}

TEST_CASE("categorical cross-entropy: -y log p, clipped, with gradient -y / p", "[loss]") {
    constexpr kiln::categorical_cross_entropy cce{};
    STATIC_REQUIRE(cce.epsilon == 1e-7);
    STATIC_REQUIRE(cce.value<3>(0.2, 0.0) == 0.0);
    STATIC_REQUIRE(is_finite(cce.value<3>(0.0, 1.0)));
    CHECK(std::fabs(cce.value<3>(0.0, 1.0) + std::log(1e-7)) <= 1e-9 * -std::log(1e-7));
    CHECK(cce.value<3>(0.25, 1.0) == Approx(std::log(4.0)).epsilon(1e-14));
    CHECK(cce.gradient<3>(0.25, 1.0) == -4.0);
    CHECK(cce.gradient<3>(0.0, 1.0) == 0.0);  // clipped
    for (double a : {0.05, 0.4, 0.9})
        for (double y : {0.0, 0.5, 1.0}) {
            INFO("a = " << a << ", y = " << y);
            CHECK(gradient_error<3>(cce, a, y) < 1e-6);
        }
    constexpr double p[1][3] = {{0.5, 0.25, 0.25}}, y[1][3] = {{0.0, 1.0, 0.0}};
    CHECK(kiln::total_loss(cce, p, y, 1) == Approx(std::log(4.0)).epsilon(1e-14));
}

TEST_CASE("squared error's gradients agree with finite differences, both reductions", "[loss]") {
    for (double a : {-1.5, 0.0, 0.3, 2.0})
        for (double y : {0.0, 1.0}) {
            CHECK(gradient_error<1>(kiln::squared_error{.reduction = kiln::reduction::sum}, a, y) < 1e-7);
            CHECK(gradient_error<5>(mean_squared_error, a, y) < 1e-7);
        }
}

TEST_CASE("softmax cross-entropy: gradient a - y, and no overflow for logits of 1000", "[loss][softmax]") {
    constexpr kiln::softmax_cross_entropy sce{};
    STATIC_REQUIRE(sce.fused_gradient<3>(0.7, 1.0) == 0.7 - 1.0);
    STATIC_REQUIRE(sce.value<3>(0.25, 1.0) == kiln::categorical_cross_entropy{}.value<3>(0.25, 1.0));
    STATIC_REQUIRE(std::is_same_v<kiln::softmax_cross_entropy::fused_with, kiln::softmax>);

    constexpr auto run = [] {
        struct out {
            double a[1][3], g[1][3], loss;
        } r{{{1000.0, -1000.0, 999.0}}, {}, 0};
        const double y[1][3] = {{0.0, 1.0, 0.0}};
        kiln::softmax::forward(r.a, 1);
        kiln::detail::output_gradient<kiln::softmax>(kiln::softmax_cross_entropy{}, r.a, y, r.g, 1);
        r.loss = kiln::total_loss(kiln::softmax_cross_entropy{}, r.a, y, 1);
        return r;
    };
    constexpr auto r = run();
    STATIC_REQUIRE(is_finite(r.loss));
    STATIC_REQUIRE(r.loss > 16.0);  // p of the target is 0 (e^-2000): clipped at 1e-7
    STATIC_REQUIRE(r.g[0][1] == -1.0);
    STATIC_REQUIRE(r.g[0][0] == r.a[0][0]);
    STATIC_REQUIRE(r.g[0][0] + r.g[0][1] + r.g[0][2] > -1e-15);
    STATIC_REQUIRE(r.g[0][0] + r.g[0][1] + r.g[0][2] < 1e-15);
}

TEST_CASE("the output gradient chains dL/da through the activation unless the loss is fused with it", "[loss]") {
    const double a[1][2] = {{0.25, 0.5}}, y[1][2] = {{1.0, 0.0}};
    double g[1][2]{};
    kiln::detail::output_gradient<kiln::sigmoid>(kiln::binary_cross_entropy{}, a, y, g, 1);
    CHECK(g[0][0] == -0.75);  // fused: a - y
    CHECK(g[0][1] == 0.5);
    kiln::detail::output_gradient<kiln::sigmoid>(kiln::squared_error{.reduction = kiln::reduction::sum}, a, y, g, 1);
    CHECK(g[0][0] == -0.75 * 0.25 * 0.75);  // (a - y) a (1 - a)
    CHECK(g[0][1] == 0.5 * 0.5 * 0.5);
    kiln::detail::output_gradient<kiln::fast_sigmoid>(kiln::binary_cross_entropy{}, a, y, g, 1);
    // (a - y) / (a (1 - a)) times fast_sigmoid's 2 min(a, 1 - a)^2
    CHECK(g[0][0] == Approx(-0.75 / (0.25 * 0.75) * 2 * 0.25 * 0.25).epsilon(1e-15));
}

TEST_CASE("options take designated initialisers", "[loss]") {
    constexpr kiln::binary_cross_entropy bce{.epsilon = 1e-3};
    STATIC_REQUIRE(bce.reduction == kiln::reduction::mean);
    STATIC_REQUIRE(bce.gradient<1>(0.9995, 1.0) == 0.0);  // clipped at the chosen epsilon
    constexpr kiln::softmax_cross_entropy sce{.epsilon = 1e-2, .reduction = kiln::reduction::sum};
    STATIC_REQUIRE(sce.value<2>(0.0, 1.0) > 4.6 && sce.value<2>(0.0, 1.0) < 4.61);  // -log(0.01)
}

TEST_CASE("which loss may follow which output activation", "[loss]") {
    STATIC_REQUIRE(kiln::loss_for<kiln::softmax_cross_entropy, kiln::softmax>);
    STATIC_REQUIRE(!kiln::loss_for<kiln::softmax_cross_entropy, kiln::sigmoid>);
    STATIC_REQUIRE(!kiln::loss_for<kiln::softmax_cross_entropy, kiln::identity>);
    STATIC_REQUIRE(kiln::loss_for<kiln::binary_cross_entropy, kiln::sigmoid>);
    STATIC_REQUIRE(kiln::loss_for<kiln::binary_cross_entropy, kiln::softmax>);
    STATIC_REQUIRE(kiln::loss_for<kiln::squared_error, kiln::relu>);
    STATIC_REQUIRE(kiln::loss_for<kiln::categorical_cross_entropy, kiln::softmax>);
}
