// Tests for kiln/optimizer.hpp: the seed's gradient step at compile time, SGD (plain,
// momentum, Nesterov) and Adam against the Keras formulas computed by hand over several
// steps, the gradient scale and zeroing, and what a diverging step leaves behind.
#include "kiln_test.hpp"

#include <kiln/layer.hpp>
#include <kiln/optimizer.hpp>

#include <cmath>
#include <cstddef>
#include <limits>

namespace {

using one = kiln::dense_params<double, 1, 1, true>;
using small = kiln::dense_params<double, 2, 1, true>;  // w[2], b[1]

constexpr double abs_of(double x) { return x < 0 ? -x : x; }

struct seed_step {
    one p;
    one g;
};

// The seed's worked example: alpha = 0.01, dw = -10, db = -5 take (w, b) = (0.5, -0.2) to (0.6, -0.15).
constexpr seed_step seed_example = [] {
    seed_step r{{{0.5}, {-0.2}}, {{-10}, {-5}}};
    kiln::sgd::state<one> s{};
    kiln::sgd{.learning_rate = 0.01}.update(r.p, r.g, s, 1.0);
    return r;
}();

bool close(double a, double b, double rel = 1e-15) { return std::fabs(a - b) <= rel * std::fmax(1.0, std::fabs(b)); }

} // namespace

TEST_CASE("the seed's gradient step: (0.5, -0.2) becomes (0.6, -0.15), at compile time", "[optimizer][seed]") {
    STATIC_REQUIRE(abs_of(seed_example.p.w[0] - 0.6) <= 1e-15);
    STATIC_REQUIRE(abs_of(seed_example.p.b[0] - -0.15) <= 1e-15);
    STATIC_REQUIRE(seed_example.g.w[0] == 0.0);  // the gradient is consumed
    STATIC_REQUIRE(seed_example.g.b[0] == 0.0);
}

TEST_CASE("plain SGD: p -= learning_rate * scale * g", "[optimizer][sgd]") {
    small p{{1.0, -2.0}, {0.5}}, g{{4.0, -8.0}, {2.0}};
    kiln::sgd::state<small> s{};
    const kiln::sgd opt{.learning_rate = 0.5};
    opt.update(p, g, s, 0.25);  // scale 1/4: a mean over 4 rows
    CHECK(p.w[0] == 1.0 - 0.5 * 0.25 * 4.0);
    CHECK(p.w[1] == -2.0 + 0.5 * 0.25 * 8.0);
    CHECK(p.b[0] == 0.5 - 0.5 * 0.25 * 2.0);
    CHECK(g.w[0] == 0.0);
    CHECK(g.w[1] == 0.0);
    CHECK(g.b[0] == 0.0);
    STATIC_REQUIRE(kiln::sgd{}.learning_rate == 0.01);  // Keras's default
}

TEST_CASE("SGD with momentum follows Keras: v = mu v - lr g, p += v, over several steps", "[optimizer][sgd]") {
    const kiln::sgd opt{.learning_rate = 0.1, .momentum = 0.9};
    one p{{1.0}, {0.0}};
    kiln::sgd::state<one> s{};
    double hp = 1.0, hv = 0.0;
    const double grads[] = {2.0, -1.0, 0.5, 3.0};
    for (double gi : grads) {
        one g{{gi}, {gi}};
        opt.update(p, g, s, 1.0);
        hv = 0.9 * hv - 0.1 * gi;
        hp = hp + hv;
        CHECK(close(p.w[0], hp));
        CHECK(close(s.velocity.w[0], hv));
        if (&gi == &grads[1]) CHECK(close(p.w[0], 0.72));  // v = -0.2 then 0.9 * -0.2 + 0.1 = -0.08
    }
}

TEST_CASE("SGD with Nesterov momentum: v = mu v - lr g, p += mu v - lr g", "[optimizer][sgd]") {
    const kiln::sgd opt{.learning_rate = 0.1, .momentum = 0.5, .nesterov = true};
    one p{{1.0}, {-1.0}};
    kiln::sgd::state<one> s{};
    double hp = 1.0, hv = 0.0;
    for (double gi : {1.0, 1.0, -2.0}) {
        one g{{gi}, {0.0}};
        opt.update(p, g, s, 1.0);
        hv = 0.5 * hv - 0.1 * gi;
        hp = hp + 0.5 * hv - 0.1 * gi;
        CHECK(close(p.w[0], hp));
    }
    CHECK(p.b[0] == -1.0);  // zero gradient, zero velocity: unmoved
    // One step from rest by hand: v = -0.1, p = 1 + 0.5 * -0.1 - 0.1 = 0.85.
    one q{{1.0}, {0.0}}, g{{1.0}, {0.0}};
    kiln::sgd::state<one> t{};
    opt.update(q, g, t, 1.0);
    CHECK(close(q.w[0], 0.85));
}

TEST_CASE("Adam: one step moves each parameter by about learning_rate against its gradient's sign",
          "[optimizer][adam]") {
    constexpr auto run = [] {
        small p{{1.0, 1.0}, {1.0}}, g{{0.5, -3.0}, {0.0}};
        kiln::adam::state<small> s{};
        kiln::adam{.learning_rate = 0.01}.update(p, g, s, 1.0);
        return p;
    };
    constexpr small p = run();
    // m_hat = g, v_hat = g^2: the step is lr * g / (|g| + eps).
    STATIC_REQUIRE(abs_of(p.w[0] - (1.0 - 0.01 * 0.5 / (0.5 + 1e-7))) <= 1e-15);
    STATIC_REQUIRE(abs_of(p.w[1] - (1.0 + 0.01 * 3.0 / (3.0 + 1e-7))) <= 1e-15);
    STATIC_REQUIRE(p.b[0] == 1.0);
    constexpr kiln::adam defaults{};
    STATIC_REQUIRE(defaults.learning_rate == 0.001);
    STATIC_REQUIRE(defaults.beta1 == 0.9);
    STATIC_REQUIRE(defaults.beta2 == 0.999);
    STATIC_REQUIRE(defaults.epsilon == 1e-7);
}

TEST_CASE("Adam over several steps matches the bias-corrected formulas computed by hand", "[optimizer][adam]") {
    const kiln::adam opt{.learning_rate = 0.05, .beta1 = 0.8, .beta2 = 0.99, .epsilon = 1e-8};
    small p{{0.3, -0.7}, {0.1}};
    kiln::adam::state<small> s{};
    double hp = 0.3, m = 0, v = 0;
    const double grads[] = {1.0, -0.5, 2.0, 0.25, -4.0, 1.5};
    int t = 0;
    for (double gi : grads) {
        ++t;
        small g{{gi * 2, 1.0}, {1.0}};  // the raw gradient; scale 1/2 turns it into gi
        opt.update(p, g, s, 0.5);
        m = 0.8 * m + 0.2 * gi;
        v = 0.99 * v + 0.01 * gi * gi;
        const double m_hat = m / (1 - std::pow(0.8, t)), v_hat = v / (1 - std::pow(0.99, t));
        hp -= 0.05 * m_hat / (std::sqrt(v_hat) + 1e-8);
        INFO("step " << t);
        CHECK(close(p.w[0], hp, 1e-13));
        CHECK(close(s.m.w[0], m, 1e-14));
        CHECK(close(s.v.w[0], v, 1e-14));
    }
    CHECK(close(s.beta1_t, std::pow(0.8, 6), 1e-14));
    CHECK(close(s.beta2_t, std::pow(0.99, 6), 1e-14));
}

TEST_CASE("an overflowing step or a NaN gradient leaves inf or NaN in the parameters, for fit() to see",
          "[optimizer]") {
    // The optimizers compute on; fit() checks the parameters after each epoch (train_test.cpp).
    constexpr double inf = std::numeric_limits<double>::infinity();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    {
        small p{{1e308, 0.0}, {0.0}}, g{{-1e308, 0.0}, {0.0}};
        kiln::sgd::state<small> s{};
        kiln::sgd{.learning_rate = 10}.update(p, g, s, 1.0);  // 1e308 + 1e309 overflows
        CHECK(p.w[0] == inf);
        CHECK(p.w[1] == 0.0);
    }
    {
        small p{{1.0, 0.0}, {0.0}}, g{{0.0, 0.0}, {nan}};
        kiln::sgd::state<small> s{};
        kiln::sgd{.learning_rate = 0.1, .momentum = 0.9}.update(p, g, s, 1.0);
        CHECK(std::isnan(p.b[0]));
        CHECK(p.w[0] == 1.0);
    }
    {
        small p{{1.0, 0.0}, {0.0}}, g{{inf, 0.0}, {0.0}};
        kiln::adam::state<small> s{};
        kiln::adam{}.update(p, g, s, 1.0);  // m / sqrt(v) = inf / inf
        CHECK(std::isnan(p.w[0]));
    }
}

TEST_CASE("optimizers work on float parameters and layers without bias", "[optimizer]") {
    kiln::dense_params<float, 2, 1, false> p{{1.0f, 2.0f}}, g{{0.5f, -0.5f}};
    kiln::sgd::state<decltype(p)> s{};
    kiln::sgd{.learning_rate = 0.5}.update(p, g, s, 1.0f);
    CHECK(p.w[0] == 0.75f);
    CHECK(p.w[1] == 2.25f);
    kiln::adam::state<decltype(p)> a{};
    g.w[0] = 1.0f;
    kiln::adam{.learning_rate = 0.125}.update(p, g, a, 1.0f);
    CHECK(std::fabs(p.w[0] - (0.75f - 0.125f)) <= 1e-6f);
    CHECK(p.w[1] == 2.25f);
}
