// Tests for kiln/layer.hpp: a dense layer's storage layout, its forward pass with and
// without bias against hand computation, and its two backward kernels (weight gradients
// and the gradient passed to the previous layer), at compile time and at run time.
#include "kiln_test.hpp"

#include <kiln/layer.hpp>

#include <cstddef>
#include <cstring>
#include <type_traits>

namespace {

using linear = kiln::dense<3, 2>;
using squashed = kiln::dense<3, 2, kiln::sigmoid>;
using plain = kiln::dense<3, 2, kiln::relu, kiln::no_bias>;

// W = [[1, 2, 3], [-1, 0.5, 0.25]] (output o, input i), stored input-major; b = [0.5, -1].
constexpr linear::params<double> known{{1, -1, 2, 0.5, 3, 0.25}, {0.5, -1}};

} // namespace

TEST_CASE("a dense layer's type carries its sizes, activation and bias option", "[layer]") {
    STATIC_REQUIRE(linear::inputs == 3);
    STATIC_REQUIRE(linear::outputs == 2);
    STATIC_REQUIRE(linear::has_bias);
    STATIC_REQUIRE(std::is_same_v<linear::activation, kiln::identity>);
    STATIC_REQUIRE(std::is_same_v<squashed::activation, kiln::sigmoid>);
    STATIC_REQUIRE(!plain::has_bias);
    STATIC_REQUIRE(!plain::params<float>::has_bias);
    STATIC_REQUIRE(kiln::layer<linear>);
    STATIC_REQUIRE(kiln::layer<plain>);
    STATIC_REQUIRE(!kiln::layer<int>);
    // Plain arrays and nothing else: the weights, then the biases (none without bias).
    STATIC_REQUIRE(sizeof(linear::params<double>) == (6 + 2) * sizeof(double));
    STATIC_REQUIRE(sizeof(plain::params<float>) == 6 * sizeof(float));
    STATIC_REQUIRE(std::is_trivially_copyable_v<linear::params<double>>);
}

TEST_CASE("weight(o, i) is element i * Out + o of w: the weights one input feeds are contiguous", "[layer]") {
    STATIC_REQUIRE(known.weight(0, 2) == 3.0);
    STATIC_REQUIRE(known.weight(1, 0) == -1.0);
    STATIC_REQUIRE(&known.weight(1, 1) == &known.w[3]);
    STATIC_REQUIRE(known.bias(1) == -1.0);
    STATIC_REQUIRE(plain::params<float>{}.bias(0) == 0.0f);
    STATIC_REQUIRE(linear::params<double>::parameter_count == 8);
    STATIC_REQUIRE(plain::params<float>::parameter_count == 6);
    linear::params<double> p{};
    p.weight(1, 2) = 7;
    p.bias(1) = 3;
    CHECK(p.w[5] == 7);
    CHECK(p.b[1] == 3);
}

TEST_CASE("forward computes activation(W x + b) for the first `rows` rows, as by hand", "[layer]") {
    constexpr auto run = [] {
        struct out {
            double y[3][2];
        } r{};
        const double x[3][3] = {{1, 1, 1}, {2, -4, 8}, {9, 9, 9}};
        linear::forward(known, x, r.y, 2);
        return r;
    };
    constexpr auto r = run();
    STATIC_REQUIRE(r.y[0][0] == 1 + 2 + 3 + 0.5);
    STATIC_REQUIRE(r.y[0][1] == -1 + 0.5 + 0.25 - 1);
    STATIC_REQUIRE(r.y[1][0] == 2 - 8 + 24 + 0.5);
    STATIC_REQUIRE(r.y[1][1] == -2 - 2 + 2 - 1);
    STATIC_REQUIRE(r.y[2][0] == 0.0);  // beyond `rows`: untouched
}

TEST_CASE("forward applies the activation, and a layer without bias adds nothing", "[layer]") {
    const plain::params<double> p{{1, -1, 2, 0.5, 3, 0.25}};  // W = [[1, 2, 3], [-1, 0.5, 0.25]], input-major
    const double x[1][3] = {{1, 1, 1}};
    double y[1][2]{};
    plain::forward(p, x, y, 1);
    CHECK(y[0][0] == 6.0);
    CHECK(y[0][1] == 0.0);  // relu(-0.25)

    const squashed::params<double> s{{0, 0, 0, 0, 0, 0}, {0, 100}};
    squashed::forward(s, x, y, 1);
    CHECK(y[0][0] == 0.5);
    CHECK(y[0][1] == 1.0);

    const kiln::dense<2, 1, kiln::identity>::params<float> f{{0.5f, 0.25f}, {1.0f}};
    const float xf[1][2] = {{2.0f, 4.0f}};
    float yf[1][1]{};
    kiln::dense<2, 1, kiln::identity>::forward(f, xf, yf, 1);
    CHECK(yf[0][0] == 3.0f);
}

TEST_CASE("accumulate adds g x^T to the weight gradient and g to the bias gradient, over rows", "[layer]") {
    constexpr auto run = [] {
        linear::params<double> grad{{1, 1, 1, 1, 1, 1}, {1, 1}};  // accumulates onto what is there
        const double x[2][3] = {{1, 2, 3}, {-1, 0, 1}};
        const double g[2][2] = {{0.5, -2}, {1, 1}};
        linear::accumulate(x, g, grad, 2);
        return grad;
    };
    constexpr auto grad = run();
    STATIC_REQUIRE(grad.weight(0, 0) == 1 + 0.5 * 1 + 1 * -1);
    STATIC_REQUIRE(grad.weight(0, 2) == 1 + 0.5 * 3 + 1 * 1);
    STATIC_REQUIRE(grad.weight(1, 1) == 1 + -2 * 2 + 1 * 0);
    STATIC_REQUIRE(grad.weight(1, 2) == 1 + -2 * 3 + 1 * 1);
    STATIC_REQUIRE(grad.b[0] == 1 + 0.5 + 1);
    STATIC_REQUIRE(grad.b[1] == 1 - 2 + 1);

    plain::params<double> pg{};
    const double x[1][3] = {{1, 2, 3}}, g[1][2] = {{2, 3}};
    plain::accumulate(x, g, pg, 1);
    CHECK(pg.weight(1, 2) == 9.0);
}

TEST_CASE("descend on one row steps each weight by (lr g) x, as a hand-written online loop rounds it", "[layer]") {
    // Values for which lr * (g * x) and (lr * g) * x round apart, so the test tells them apart.
    constexpr double lr = 0.1;
    static_assert(lr * (0.3 * 0.7) != (lr * 0.3) * 0.7);
    constexpr auto run = [](double g0) {
        linear::params<double> p{};
        const double x[1][3] = {{0.7, 0.3, 0.9}};
        const double g[1][2] = {{g0, 0.7}};
        linear::descend(p, x, g, 1, lr);
        return p;
    };
    constexpr auto ct = run(0.3);
    STATIC_REQUIRE(ct.weight(0, 0) == -((lr * 0.3) * 0.7));
    STATIC_REQUIRE(ct.weight(0, 2) == -((lr * 0.3) * 0.9));
    STATIC_REQUIRE(ct.weight(1, 1) == -((lr * 0.7) * 0.3));
    STATIC_REQUIRE(ct.b[0] == -(lr * 0.3));
    volatile double g0 = 0.3;  // the run-time kernel, on lanes
    const auto rt = run(g0);
    CHECK(rt == ct);
}

namespace {
/// A layer's parameters, a row x with its dL/dz g, and the row after it: values that differ
/// in every weight, so a step or a sum taken in another order shows in the bits.
template <class Layer>
struct online_step {
    typename Layer::template params<float> p{};
    float x[1][Layer::inputs]{}, next[1][Layer::inputs]{};
    float g[1][Layer::outputs]{};
    float out[1][Layer::outputs]{};
};
template <class Layer>
constexpr online_step<Layer> online_values(float shift) {
    online_step<Layer> s{};
    for (std::size_t i = 0; i < Layer::inputs * Layer::outputs; ++i) s.p.w[i] = float(int(i * 37 % 23) - 11) / 16.0f + shift;
    if constexpr (Layer::has_bias)
        for (std::size_t o = 0; o < Layer::outputs; ++o) s.p.b[o] = float(int(o * 5 % 7) - 3) / 8.0f;
    for (std::size_t i = 0; i < Layer::inputs; ++i) {
        s.x[0][i] = float(int(i * 7 % 11) - 5) / 10.0f;
        s.next[0][i] = float(int(i * 3 % 13) - 6) / 9.0f;
    }
    for (std::size_t o = 0; o < Layer::outputs; ++o) s.g[0][o] = float(int(o * 11 % 17) - 8) / 12.0f;
    return s;
}
/// descend() on one row, then forward() of the next row: inside the compiler.
template <class Layer>
constexpr online_step<Layer> descend_then_forward() {
    online_step<Layer> s = online_values<Layer>(0.0f);
    Layer::descend(s.p, s.x, s.g, 1, 0.3f);
    Layer::forward(s.p, s.next, s.out, 1);
    return s;
}
/// descend_forward() on the same values, at run time (the values shifted by a volatile 0).
template <class Layer>
void check_descend_forward() {
    constexpr online_step<Layer> expected = descend_then_forward<Layer>();
    volatile float zero = 0.0f;
    online_step<Layer> s = online_values<Layer>(zero);
    Layer::descend_forward(s.p, s.x[0], s.g[0], 0.3f, s.next[0], s.out);
    CHECK(std::memcmp(&s.p, &expected.p, sizeof s.p) == 0);
    CHECK(std::memcmp(s.out, expected.out, sizeof s.out) == 0);
    CHECK_FALSE(s.p == online_values<Layer>(0.0f).p);  // the step moved the weights
}
} // namespace

TEST_CASE("descend_forward at run time is descend() then the next row's forward() inside the compiler, bit for bit", "[layer]") {
    // 13 outputs: a whole vector, a half vector and a scalar with AVX's 8 floats and SSE's 4.
    check_descend_forward<kiln::dense<9, 13, kiln::sigmoid>>();
    check_descend_forward<kiln::dense<9, 13, kiln::tanh, kiln::no_bias>>();
    check_descend_forward<kiln::dense<20, 40, kiln::relu>>();  // more than one block of outputs
    check_descend_forward<kiln::dense<4, 3, kiln::softmax>>();
}

namespace {
/// The batch passes on `rows` rows of R: forward(), accumulate() onto a non-zero gradient and
/// descend() on several rows, with values that differ in every weight and row.
template <class Layer, std::size_t R = 5>
struct batch_passes {
    typename Layer::template params<float> p{}, grad{}, stepped{};
    float x[R][Layer::inputs]{};
    float g[R][Layer::outputs]{};
    float out[R][Layer::outputs]{};
};
template <class Layer, std::size_t R = 5>
constexpr batch_passes<Layer, R> batch_values(float shift, std::size_t rows) {
    batch_passes<Layer, R> s{};
    const online_step<Layer> v = online_values<Layer>(shift);
    s.p = s.stepped = v.p;
    for (std::size_t i = 0; i < Layer::inputs * Layer::outputs; ++i) s.grad.w[i] = float(int(i * 13 % 19) - 9) / 32.0f;
    for (std::size_t r = 0; r < R; ++r) {
        for (std::size_t i = 0; i < Layer::inputs; ++i) s.x[r][i] = float(int((i + 3 * r) * 7 % 11) - 5) / 10.0f + shift;
        for (std::size_t o = 0; o < Layer::outputs; ++o) s.g[r][o] = float(int((o + 5 * r) * 11 % 17) - 8) / 12.0f;
    }
    Layer::forward(s.p, s.x, s.out, rows);
    Layer::accumulate(s.x, s.g, s.grad, rows);
    Layer::descend(s.stepped, s.x, s.g, rows, 0.3f);
    return s;
}
/// The passes at run time (values shifted by a volatile 0) against the compiler's, for 1 to 5 rows.
template <class Layer>
void check_batch_passes() {
    constexpr batch_passes<Layer> expected[] = {batch_values<Layer>(0.0f, 1), batch_values<Layer>(0.0f, 2),
                                                batch_values<Layer>(0.0f, 3), batch_values<Layer>(0.0f, 4),
                                                batch_values<Layer>(0.0f, 5)};
    volatile float zero = 0.0f;
    for (std::size_t rows = 1; rows <= 5; ++rows) {
        const batch_passes<Layer> s = batch_values<Layer>(zero, rows);
        CAPTURE(Layer::inputs, Layer::outputs, rows);
        CHECK(std::memcmp(s.out, expected[rows - 1].out, sizeof s.out) == 0);
        CHECK(std::memcmp(&s.grad, &expected[rows - 1].grad, sizeof s.grad) == 0);
        CHECK(std::memcmp(&s.stepped, &expected[rows - 1].stepped, sizeof s.stepped) == 0);
    }
}
} // namespace

TEST_CASE("forward, accumulate and descend on 1 to 5 rows give the compiler's bits at run time", "[layer]") {
    // An odd count of inputs (the run-time kernels take rows and inputs two at a time where
    // vectors allow), outputs in whole, half and single lanes, and more than one block.
    check_batch_passes<kiln::dense<9, 13, kiln::sigmoid>>();
    check_batch_passes<kiln::dense<9, 13, kiln::tanh, kiln::no_bias>>();
    check_batch_passes<kiln::dense<20, 40, kiln::relu>>();
    check_batch_passes<kiln::dense<32, 10, kiln::softmax>>();
    check_batch_passes<kiln::dense<17, 3, kiln::identity>>();
}

TEST_CASE("propagate gives dL/dx = W^T g, overwriting the previous gradient", "[layer]") {
    constexpr auto run = [] {
        struct out {
            double dx[2][3];
        } r{{{9, 9, 9}, {9, 9, 9}}};
        const double g[2][2] = {{1, 2}, {0, -4}};
        linear::propagate(known, g, r.dx, 1);
        return r;
    };
    constexpr auto r = run();
    STATIC_REQUIRE(r.dx[0][0] == 1 * 1 + -1 * 2);
    STATIC_REQUIRE(r.dx[0][1] == 2 * 1 + 0.5 * 2);
    STATIC_REQUIRE(r.dx[0][2] == 3 * 1 + 0.25 * 2);
    STATIC_REQUIRE(r.dx[1][0] == 9.0);  // beyond `rows`: untouched
}

TEST_CASE("a layer of more than 256 inputs compiles and computes (Clang's default fold nesting limit is 256)",
          "[layer]") {
    // 784 inputs: an MNIST image. The forward pass's sum must not be a single fold over
    // all inputs on Clang (-fbracket-depth defaults to 256).
    using wide = kiln::dense<784, 2, kiln::identity>;
    static wide::params<float> p{};
    for (std::size_t i = 0; i < 784; ++i) p.weight(0, i) = 1.0f, p.weight(1, i) = i % 2 ? 1.0f : -1.0f;
    p.b[0] = 0.5f;
    static float x[1][784];
    for (auto& v : x[0]) v = 1.0f;
    float y[1][2]{};
    wide::forward(p, x, y, 1);
    CHECK(y[0][0] == 784.5f);
    CHECK(y[0][1] == 0.0f);
}
