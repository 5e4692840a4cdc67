// Tests for kiln/activation.hpp: each activation's values, its derivative (written from the
// output) against central finite differences of its value, the block passes, softmax's
// normalisation and overflow safety, the documented error bounds of the sigmoid
// approximations, and all of it at compile time.
#include "kiln_test.hpp"

#include <kiln/activation.hpp>

#include <cmath>
#include <cstddef>
#include <limits>

namespace {

double exact_sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

struct worst_error {
    double error;
    double at;
};

/// The largest |approx(z) - sigmoid(z)| over z in [-60, 60] in steps of 1e-4.
template <class A>
worst_error sweep_against_sigmoid() {
    worst_error w{0, 0};
    for (long i = -600000; i <= 600000; ++i) {
        const double z = double(i) * 1e-4;
        const double e = std::fabs(A::value(z) - exact_sigmoid(z));
        if (e > w.error) w = {e, z};
    }
    return w;
}

/// The largest relative difference between derivative(value(z)) and a central difference
/// of value() over z in [lo, hi], skipping points within `gap` of a kink.
template <class A>
double derivative_error(double lo, double hi, double kink_a = 1e9, double kink_b = 1e9) {
    constexpr double h = 1e-6;
    double worst = 0;
    for (double z = lo; z <= hi; z += 0.01) {
        if (std::fabs(z - kink_a) < 1e-3 || std::fabs(z - kink_b) < 1e-3) continue;
        const double numeric = (A::value(z + h) - A::value(z - h)) / (2 * h);
        const double analytic = A::derivative(A::value(z));
        const double scale = std::fmax(std::fabs(numeric), 1e-3);
        worst = std::fmax(worst, std::fabs(analytic - numeric) / scale);
    }
    return worst;
}

template <std::size_t W>
constexpr bool softmax_rows_sum_to_one(const double (&logits)[W]) {
    double a[1][W]{};
    for (std::size_t i = 0; i < W; ++i) a[0][i] = logits[i];
    kiln::softmax::forward(a, 1);
    double s = 0;
    for (std::size_t i = 0; i < W; ++i) {
        if (!(a[0][i] >= 0 && a[0][i] <= 1)) return false;
        s += a[0][i];
    }
    return s > 1 - 1e-15 && s < 1 + 1e-15;
}

constexpr double abs_of(double x) { return x < 0 ? -x : x; }

} // namespace

TEST_CASE("identity passes values and gradients through unchanged", "[activation]") {
    STATIC_REQUIRE(kiln::identity::value(-3.5) == -3.5);
    STATIC_REQUIRE(kiln::identity::derivative(7.0) == 1.0);
    double a[2][2] = {{1, -2}, {3, 4}}, g[2][2] = {{5, 6}, {7, 8}};
    kiln::identity::forward(a, 2);
    kiln::identity::backward(a, g, 2);
    CHECK(a[0][1] == -2);
    CHECK(g[1][0] == 7);
}

TEST_CASE("sigmoid: the seed's sigmoid(49.8) is exactly 1.0 in double, at compile time", "[activation][seed]") {
    STATIC_REQUIRE(kiln::sigmoid::value(100 * 0.5 - 0.2) == 1.0);
    STATIC_REQUIRE(kiln::sigmoid::value(0.0) == 0.5);
    STATIC_REQUIRE(kiln::sigmoid::value(0.0f) == 0.5f);
    STATIC_REQUIRE(kiln::sigmoid::derivative(0.5) == 0.25);
}

TEST_CASE("sigmoid agrees with 1 / (1 + exp(-z)) to a few ulp for z from -40 to 40", "[activation]") {
    double worst = 0;
    for (double z = -40; z <= 40; z += 0.001) {
        const double ref = exact_sigmoid(z);
        worst = std::fmax(worst, std::fabs(kiln::sigmoid::value(z) - ref) / ref);
    }
    CHECK(worst < 8 * std::numeric_limits<double>::epsilon());
    CHECK(kiln::sigmoid::value(-1000.0) == 0.0);  // e^1000 overflows to inf: 1 / inf, not NaN
    CHECK(kiln::sigmoid::value(1000.0) == 1.0);
}

TEST_CASE("fast_sigmoid's documented worst error against the sigmoid: 0.0823 at |z| = 3.77, 0.0098 at |z| = 50",
          "[activation][approximation]") {
    const worst_error w = sweep_against_sigmoid<kiln::fast_sigmoid>();
    INFO("fast_sigmoid max |error| " << w.error << " at z = " << w.at);
    CHECK(std::fabs(w.error - 0.0823) < 5e-5);
    CHECK(std::fabs(std::fabs(w.at) - 3.77) < 0.01);
    CHECK(std::fabs(std::fabs(kiln::fast_sigmoid::value(50.0) - exact_sigmoid(50.0)) - 0.0098) < 5e-5);
    CHECK(std::fabs(std::fabs(kiln::fast_sigmoid::value(-50.0) - exact_sigmoid(-50.0)) - 0.0098) < 5e-5);
    STATIC_REQUIRE(kiln::fast_sigmoid::value(0.0) == 0.5);
    STATIC_REQUIRE(kiln::fast_sigmoid::value(1.0) == 0.75);
    STATIC_REQUIRE(kiln::fast_sigmoid::value(-3.0) == 0.125);
}

TEST_CASE("hard_sigmoid's documented worst error against the sigmoid: 0.0759 at |z| = 2.5, exact 0 and 1 beyond",
          "[activation][approximation]") {
    const worst_error w = sweep_against_sigmoid<kiln::hard_sigmoid>();
    INFO("hard_sigmoid max |error| " << w.error << " at z = " << w.at);
    CHECK(std::fabs(w.error - 0.0759) < 5e-5);
    CHECK(std::fabs(std::fabs(w.at) - 2.5) < 1e-3);
    STATIC_REQUIRE(kiln::hard_sigmoid::value(2.5) == 1.0);
    STATIC_REQUIRE(kiln::hard_sigmoid::value(-2.5) == 0.0);
    STATIC_REQUIRE(kiln::hard_sigmoid::value(7.0) == 1.0);
    STATIC_REQUIRE(kiln::hard_sigmoid::value(0.0) == 0.5);
    STATIC_REQUIRE(kiln::hard_sigmoid::derivative(0.5) == 0.2);
    STATIC_REQUIRE(kiln::hard_sigmoid::derivative(1.0) == 0.0);
    STATIC_REQUIRE(kiln::hard_sigmoid::derivative(0.0) == 0.0);
}

TEST_CASE("relu and leaky_relu: values, slopes, and relu's derivative 0 at 0", "[activation]") {
    STATIC_REQUIRE(kiln::relu::value(-2.0) == 0.0);
    STATIC_REQUIRE(kiln::relu::value(2.5) == 2.5);
    STATIC_REQUIRE(kiln::relu::derivative(0.0) == 0.0);
    STATIC_REQUIRE(kiln::relu::derivative(3.0) == 1.0);
    STATIC_REQUIRE(kiln::leaky_relu::value(-2.0) == -2.0 * 0.01);
    STATIC_REQUIRE(kiln::leaky_relu::value(2.0) == 2.0);
    STATIC_REQUIRE(kiln::leaky_relu::derivative(-0.02) == 0.01);
    STATIC_REQUIRE(kiln::leaky_relu_with<3, 10>::slope == 0.3);
    STATIC_REQUIRE(kiln::leaky_relu_with<3, 10>::value(-2.0) == -2.0 * 0.3);
    STATIC_REQUIRE(kiln::leaky_relu_with<3, 10>::derivative(-0.6) == 0.3);
    STATIC_REQUIRE(kiln::leaky_relu_with<3, 10>::value(-2.0f) == -2.0f * 0.3f);
}

TEST_CASE("tanh matches std::tanh and its derivative is 1 - a^2", "[activation]") {
    double worst = 0;
    for (double z = -20; z <= 20; z += 0.001)
        worst = std::fmax(worst, std::fabs(kiln::tanh::value(z) - std::tanh(z)));
    CHECK(worst <= 4 * std::numeric_limits<double>::epsilon());
    STATIC_REQUIRE(kiln::tanh::value(0.0) == 0.0);
    STATIC_REQUIRE(kiln::tanh::derivative(0.5) == 0.75);
    STATIC_REQUIRE(kiln::tanh::value(-30.0) == -1.0);
}

TEST_CASE("every element-wise derivative, written from the output, agrees with finite differences of value()",
          "[activation]") {
    CHECK(derivative_error<kiln::identity>(-5, 5) < 1e-8);
    CHECK(derivative_error<kiln::sigmoid>(-15, 15) < 1e-6);
    CHECK(derivative_error<kiln::fast_sigmoid>(-15, 15, 0) < 1e-6);  // its second derivative jumps at 0
    CHECK(derivative_error<kiln::hard_sigmoid>(-5, 5, -2.5, 2.5) < 1e-6);
    CHECK(derivative_error<kiln::tanh>(-8, 8) < 1e-6);
    CHECK(derivative_error<kiln::relu>(-5, 5, 0) < 1e-6);
    CHECK(derivative_error<kiln::leaky_relu>(-5, 5, 0) < 1e-6);
    CHECK(derivative_error<kiln::leaky_relu_with<3, 10>>(-5, 5, 0) < 1e-6);
}

TEST_CASE("element-wise block passes touch only the first `rows` rows", "[activation]") {
    constexpr auto run = [] {
        struct out {
            double a[2][3], g[2][3];
        } r{{{-1, 0.5, 2}, {-3, 4, -5}}, {{1, 1, 1}, {1, 1, 1}}};
        kiln::relu::forward(r.a, 1);
        kiln::relu::backward(r.a, r.g, 1);
        return r;
    };
    constexpr auto r = run();
    STATIC_REQUIRE(r.a[0][0] == 0.0);
    STATIC_REQUIRE(r.a[0][2] == 2.0);
    STATIC_REQUIRE(r.a[1][0] == -3.0);  // untouched
    STATIC_REQUIRE(r.g[0][0] == 0.0);
    STATIC_REQUIRE(r.g[0][1] == 1.0);
    STATIC_REQUIRE(r.g[1][0] == 1.0);  // untouched

    float s[1][2] = {{0.0f, 100.0f}}, g[1][2] = {{2.0f, 2.0f}};
    kiln::sigmoid::forward(s, 1);
    kiln::sigmoid::backward(s, g, 1);
    CHECK(s[0][0] == 0.5f);
    CHECK(s[0][1] == 1.0f);
    CHECK(g[0][0] == 0.5f);  // 2 * 0.25
    CHECK(g[0][1] == 0.0f);
}

TEST_CASE("softmax: rows sum to 1, logits of 1000 do not overflow, known values", "[activation][softmax]") {
    STATIC_REQUIRE(softmax_rows_sum_to_one<3>({1.0, 2.0, 3.0}));
    STATIC_REQUIRE(softmax_rows_sum_to_one<4>({1000.0, 999.0, -1000.0, 1000.0}));
    STATIC_REQUIRE(softmax_rows_sum_to_one<2>({-1e300, 1e300}));
    constexpr auto big = [] {
        struct r {
            double a[2][2];
        } x{{{1000.0, 1000.0}, {0.0, 0.0}}};
        kiln::softmax::forward(x.a, 1);
        return x;
    }();
    STATIC_REQUIRE(big.a[0][0] == 0.5);
    STATIC_REQUIRE(big.a[0][1] == 0.5);
    STATIC_REQUIRE(big.a[1][0] == 0.0);  // row beyond `rows` untouched

    double a[1][3] = {{0.0, std::log(2.0), std::log(5.0)}};
    kiln::softmax::forward(a, 1);
    CHECK(a[0][0] == Approx(1.0 / 8).epsilon(1e-15));
    CHECK(a[0][1] == Approx(2.0 / 8).epsilon(1e-15));
    CHECK(a[0][2] == Approx(5.0 / 8).epsilon(1e-15));

    float f[1][3] = {{88.0f, 89.0f, 90.0f}};  // e^89 overflows float without the max shift
    kiln::softmax::forward(f, 1);
    CHECK(std::isfinite(f[0][0]));
    CHECK(f[0][0] + f[0][1] + f[0][2] == Approx(1.0f).epsilon(1e-6));
}

TEST_CASE("softmax backward is the Jacobian-vector product of finite differences", "[activation][softmax]") {
    const double z[4] = {0.3, -1.2, 2.0, 0.7};
    const double g[4] = {0.5, -2.0, 1.0, 3.0};
    auto loss_of = [&](const double (&zz)[4]) {  // L = g . softmax(z)
        double a[1][4] = {{zz[0], zz[1], zz[2], zz[3]}};
        kiln::softmax::forward(a, 1);
        return g[0] * a[0][0] + g[1] * a[0][1] + g[2] * a[0][2] + g[3] * a[0][3];
    };
    double a[1][4] = {{z[0], z[1], z[2], z[3]}}, d[1][4] = {{g[0], g[1], g[2], g[3]}};
    kiln::softmax::forward(a, 1);
    kiln::softmax::backward(a, d, 1);
    constexpr double h = 1e-6;
    for (std::size_t i = 0; i < 4; ++i) {
        double zp[4] = {z[0], z[1], z[2], z[3]}, zm[4] = {z[0], z[1], z[2], z[3]};
        zp[i] += h;
        zm[i] -= h;
        const double numeric = (loss_of(zp) - loss_of(zm)) / (2 * h);
        INFO("component " << i);
        CHECK(abs_of(d[0][i] - numeric) <= 1e-8 * std::fmax(1.0, std::fabs(numeric)));
    }
}
