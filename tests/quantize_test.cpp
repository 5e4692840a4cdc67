// Tests for kiln/quantize.hpp: the requantization arithmetic, the int8 kernels against a
// reference written here from the specification (plain loops, int64), the same bits inside
// the compiler and at run time, the fixed output quantizations and tables, accuracy against
// the float network, and the statuses bad input returns at run time.
#include "kiln_test.hpp"

#include <kiln/io/csv.hpp>
#include <kiln/io/rows.hpp>
#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "data/iris_small_data.hpp"

namespace {

// ------------------------------------------------------------------ the reference, from the specification
// TensorFlow Lite's int8 fully connected layer (quantization_spec.md, reference kernels):
//   acc = bias[o] + sum_i w(o, i) * (x[i] - input zero point)
//   v   = MultiplyByQuantizedMultiplier(acc, multiplier, shift) + output zero point, clamped
// with MultiplyByQuantizedMultiplier = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(
// acc * 2^left, multiplier), right). Written with int64 divisions, not kiln's shifts and masks.
namespace ref {
constexpr std::int64_t int32_min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

// gemmlowp's definition: (a b + nudge) / 2^31 with C's truncating division.
std::int64_t srdhm(std::int64_t a, std::int64_t b) {
    if (a == int32_min && b == int32_min) return int32_max;
    const std::int64_t ab = a * b;
    const std::int64_t nudge = ab >= 0 ? (std::int64_t{1} << 30) : 1 - (std::int64_t{1} << 30);
    return (ab + nudge) / (std::int64_t{1} << 31);
}
// x / 2^e rounded to nearest, halves away from zero.
std::int64_t rounding_divide(std::int64_t x, int e) {
    const std::int64_t d = std::int64_t{1} << e;
    return x >= 0 ? (x + d / 2) / d : -((-x + d / 2) / d);
}
std::int64_t requantize(std::int64_t acc, std::int32_t multiplier, int shift) {
    const int left = std::max(shift, 0), right = std::max(-shift, 0);
    const std::int64_t x = std::clamp(acc * (std::int64_t{1} << left), int32_min, int32_max);
    return rounding_divide(srdhm(x, multiplier), right);
}

// softmax's E(d) ~ 2^15 exp(-d s) from the exponent step k = round(2^16 log2(e) s): with
// t = d k = 2^16 n + f, 2^(-f / 2^16) linear between the knots round(2^15 2^(-j/16)) at
// j = floor(f / 2^12), then divided by 2^n rounding half up; 0 for n >= 16.
std::int64_t softmax_exp(std::int64_t d, std::int64_t k) {
    const std::int64_t t = d * k, n = t / 65536, f = t % 65536;
    if (n >= 16) return 0;
    const auto knot = [](std::int64_t j) { return std::llround(32768 * std::exp2(-double(j) / 16)); };
    const std::int64_t j = f / 4096, r = f % 4096;
    const std::int64_t v = knot(j) - ((knot(j) - knot(j + 1)) * r + 2048) / 4096;
    const std::int64_t p = std::int64_t{1} << n;
    return (v + p / 2) / p;
}

// One layer, from its stored int8 parameters, with the bias and the input zero point as
// the specification writes them (kiln's kernel starts from the folded accumulator_start).
template <class P>
std::vector<std::int8_t> layer(const P& p, const std::vector<std::int8_t>& x) {
    std::vector<std::int8_t> y(P::outputs);
    for (std::size_t o = 0; o < P::outputs; ++o) {
        std::int64_t acc = p.bias(o);
        for (std::size_t i = 0; i < P::inputs; ++i)
            acc += std::int64_t{p.weight(o, i)} * (std::int64_t{x[i]} - p.input.zero_point);
        std::int64_t v = requantize(acc, p.multiplier[o], p.shift[o]) + p.pre_activation.zero_point;
        v = std::clamp<std::int64_t>(v, p.low, p.high);
        if constexpr (P::form == kiln::int8_activation::table) v = p.table.v[v + 128];
        // Point-symmetric: the table holds q >= 0 (outputs 0..128); q < 0 is the mirror.
        if constexpr (P::form == kiln::int8_activation::symmetric)
            v = v >= 0 ? std::min<std::int64_t>(p.table.v[v], 127) : -std::int64_t{p.table.v[-v]};
        y[o] = static_cast<std::int8_t>(v);
    }
    if constexpr (P::form == kiln::int8_activation::softmax) {
        // p_i = E(max - q_i) / sum_j E(max - q_j) rounded to the 1/256 grid, zero point -128.
        const std::int64_t m = *std::max_element(y.begin(), y.end());
        std::int64_t s = 0;
        for (const auto q : y) s += softmax_exp(m - q, p.table.exp_step);
        for (auto& q : y) {
            const std::int64_t e = softmax_exp(m - q, p.table.exp_step);
            q = static_cast<std::int8_t>(std::min<std::int64_t>(127, (e * 256 + s / 2) / s - 128));
        }
    }
    return y;
}

template <class Q, std::size_t... K>
std::vector<std::int8_t> network(const Q& q, std::vector<std::int8_t> x, std::index_sequence<K...>) {
    ((x = layer(q.template layer<K>(), x)), ...);
    return x;
}
template <class Q>
std::vector<std::int8_t> network(const Q& q, const std::vector<std::int8_t>& x) {
    return network(q, x, std::make_index_sequence<Q::depth>{});
}
} // namespace ref

// ------------------------------------------------------------------ networks and data
// Every int8 form in one network: relu (fused), tanh, leaky_relu (a calibrated table),
// sigmoid (a fixed table), identity, softmax; two layers without biases.
using mixed_net = kiln::network<float, kiln::dense<3, 8, kiln::relu>, kiln::dense<8, 8, kiln::tanh>,
                                kiln::dense<8, 6, kiln::leaky_relu, kiln::no_bias>, kiln::dense<6, 6, kiln::sigmoid>,
                                kiln::dense<6, 5, kiln::identity, kiln::no_bias>, kiln::dense<5, 4, kiln::softmax>>;

constexpr mixed_net make_mixed() {
    auto net = mixed_net::initialized(kiln::he_uniform{}, kiln::seed{7});
    // Nonzero biases, so the int32 bias path is exercised.
    for (std::size_t o = 0; o < 8; ++o) net.layer<0>().bias(o) = 0.05f * float(o) - 0.2f;
    for (std::size_t o = 0; o < 8; ++o) net.layer<1>().bias(o) = 0.1f - 0.03f * float(o);
    for (std::size_t o = 0; o < 6; ++o) net.layer<3>().bias(o) = 0.02f * float(o);
    for (std::size_t o = 0; o < 4; ++o) net.layer<5>().bias(o) = 0.3f - 0.2f * float(o);
    return net;
}
constexpr mixed_net mixed = make_mixed();

// 48 calibration rows in [-2, 2)^3 from kiln's engine.
template <class T>
constexpr kiln::dataset<T, 48, 3, 1> make_rows() {
    kiln::dataset<T, 48, 3, 1> d{};
    kiln::default_engine e{kiln::seed{3}};
    for (auto& s : d.rows) {
        for (auto& v : s.x) v = kiln::uniform_real<T>(e, T(-2), T(2));
        s.y[0] = 0;
    }
    return d;
}
constexpr auto rows = make_rows<float>();
constexpr auto rows_double = make_rows<double>();

constexpr auto mixed_q = kiln::quantize(mixed, rows);
static_assert(mixed_q.status == kiln::quantize_status::ok);

// A single sigmoid output, read with the 0.5 threshold.
using binary_net = kiln::network<double, kiln::dense<3, 4, kiln::hard_sigmoid>, kiln::dense<4, 1, kiln::sigmoid>>;
constexpr binary_net binary = binary_net::initialized(kiln::glorot_uniform{}, kiln::seed{2});

template <class Q>
std::vector<std::int8_t> run(const Q& q, const std::vector<std::int8_t>& x) {
    std::int8_t in[Q::inputs]{}, out[Q::outputs]{};
    std::copy(x.begin(), x.end(), in);
    q.predict(in, out);
    return {out, out + Q::outputs};
}

std::filesystem::path example_data(const char* file) {
    return std::filesystem::path(__FILE__).parent_path().parent_path() / "examples" / "data" / file;
}

} // namespace

// ------------------------------------------------------------------ requantization
TEST_CASE("requantization rounds twice as TensorFlow Lite's default, not once") {
    // 5 * 0.25: the doubling high multiply gives round(2.5) = 3, the shift round(1.5) = 2;
    // the single-rounding variant would give round(1.25) = 1.
    STATIC_REQUIRE(kiln::requantize(5, 1 << 30, -1) == 2);
    STATIC_REQUIRE(kiln::requantize(-5, 1 << 30, -1) == -1);  // round(-2.5) = -2 (up), round(-1) = -1
    STATIC_REQUIRE(kiln::detail::saturating_rounding_doubling_high_mul(ref::int32_min, ref::int32_min) == ref::int32_max);
    STATIC_REQUIRE(kiln::detail::rounding_divide_by_pot(3, 1) == 2);
    STATIC_REQUIRE(kiln::detail::rounding_divide_by_pot(-3, 1) == -2);
    STATIC_REQUIRE(kiln::detail::rounding_divide_by_pot(-5, 2) == -1);
    STATIC_REQUIRE(kiln::detail::rounding_divide_by_pot(-1, 31) == 0);
    // A left shift saturates where TFLite's int32 product would overflow.
    STATIC_REQUIRE(kiln::requantize(ref::int32_max, 1 << 30, 2) == ref::int32_max / 2 + 1);

    std::mt19937 g(11);
    std::uniform_int_distribution<std::int32_t> acc(-(1 << 24), 1 << 24), mult(1 << 30, ref::int32_max), shift(-31, 4);
    for (int n = 0; n < 200000; ++n) {
        const std::int32_t a = acc(g), m = mult(g);
        const int s = shift(g);
        REQUIRE(kiln::requantize(a, m, s) == ref::requantize(a, m, s));
    }
}

TEST_CASE("a quantized multiplier stands for the real one to 31 bits") {
    STATIC_REQUIRE(kiln::quantize_multiplier(0.5).multiplier == (1 << 30));
    STATIC_REQUIRE(kiln::quantize_multiplier(0.5).shift == 0);
    STATIC_REQUIRE(kiln::quantize_multiplier(1.0).multiplier == (1 << 30));
    STATIC_REQUIRE(kiln::quantize_multiplier(1.0).shift == 1);
    STATIC_REQUIRE(kiln::quantize_multiplier(0.0).multiplier == 0);
    STATIC_REQUIRE(kiln::quantize_multiplier(0x1p-40).multiplier == 0);
    STATIC_REQUIRE(kiln::quantize_multiplier(0x1p40).shift == 30);
    // Just below 1: the mantissa rounds up to 2^31 and is renormalised.
    STATIC_REQUIRE(kiln::quantize_multiplier(1.0 - 0x1p-40).multiplier == (1 << 30));
    STATIC_REQUIRE(kiln::quantize_multiplier(1.0 - 0x1p-40).shift == 1);
    for (const double m : {1e-9, 3.1e-5, 0.0123, 0.3333333, 0.7, 0.999, 1.5, 17.25}) {
        const auto q = kiln::quantize_multiplier(m);
        CHECK(q.multiplier >= (1 << 30));
        CHECK(std::abs(std::ldexp(double(q.multiplier), q.shift - 31) - m) <= std::ldexp(m, -31));
    }
}

// ------------------------------------------------------------------ kernels against the reference
TEST_CASE("the int8 kernels give the reference's outputs for every activation form") {
    const auto& q = mixed_q.network;
    std::mt19937 g(5);
    std::uniform_int_distribution<int> byte(-128, 127);
    for (int n = 0; n < 5000; ++n) {
        std::vector<std::int8_t> x(3);
        for (auto& v : x) v = static_cast<std::int8_t>(byte(g));
        REQUIRE(run(q, x) == ref::network(q, x));
    }
    // And on the calibration rows themselves, quantized as predict() does.
    for (const auto& s : rows.rows) {
        std::int8_t x[3];
        q.quantize_input(s.x, x);
        REQUIRE(run(q, {x, x + 3}) == ref::network(q, {x, x + 3}));
    }
    // The folded start value is the specification's bias minus the zero point's share.
    const auto& l1 = q.layer<1>();
    for (std::size_t o = 0; o < 8; ++o) {
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < 8; ++i) sum += l1.weight(o, i);
        CHECK(l1.accumulator_start[o] == l1.bias(o) - l1.input.zero_point * sum);
    }
}

TEST_CASE("softmax's computed exponentials are the specification's for every difference and step") {
    std::mt19937 g(13);
    std::uniform_int_distribution<std::uint32_t> step(0, 1u << 23);
    for (int n = 0; n < 3000; ++n) {
        const std::uint32_t k = n < 64 ? std::uint32_t(n) : step(g);  // the smallest steps too
        for (std::uint32_t d = 0; d < 256; ++d)
            REQUIRE(std::int64_t{kiln::detail::softmax_exp(d, k)} == ref::softmax_exp(d, k));
    }
}

TEST_CASE("a one-layer tanh network: symmetric pre-activation scale, and y may be x") {
    using one_net = kiln::network<double, kiln::dense<3, 3, kiln::tanh>>;
    auto net = one_net::initialized(kiln::glorot_uniform{}, kiln::seed{5});
    net.layer<0>().bias(1) = 0.4;
    const auto q = kiln::quantize(net, rows_double);
    REQUIRE(q);
    // The pre-activation's scale is max |z| / 127 over the calibration rows.
    double largest = 0;
    for (const auto& s : rows_double.rows)
        for (std::size_t o = 0; o < 3; ++o) {
            double z = net.layer<0>().bias(o);
            for (std::size_t i = 0; i < 3; ++i) z += net.layer<0>().weight(o, i) * s.x[i];
            largest = std::max(largest, std::abs(z));
        }
    const auto& p = q.network.layer<0>();
    CHECK(p.pre_activation.zero_point == 0);
    CHECK(std::abs(p.pre_activation.scale - largest / 127) <= 1e-12 * largest);
    std::mt19937 g(3);
    std::uniform_int_distribution<int> byte(-128, 127);
    for (int n = 0; n < 2000; ++n) {
        std::int8_t x[3];
        for (auto& v : x) v = static_cast<std::int8_t>(byte(g));
        const auto expected = ref::network(q.network, {x, x + 3});
        q.network.predict(x, x);  // in place
        REQUIRE(std::vector<std::int8_t>(x, x + 3) == expected);
    }
    // A hand-edited clamp below the table's domain reads as -127, never past the table.
    auto edited = q.network;
    edited.layer<0>().low = -128;
    std::size_t clamped = 0;
    for (int n = 0; n < 2000; ++n) {
        std::int8_t x[3], y[3], y_edited[3];
        for (auto& v : x) v = static_cast<std::int8_t>(byte(g));
        q.network.predict(x, y);
        edited.predict(x, y_edited);
        REQUIRE(std::equal(y, y + 3, y_edited));
        clamped += std::count(y, y + 3, -q.network.layer<0>().table.v[127]);
    }
    CHECK(clamped > 0);  // inputs beyond the calibration do reach the clamp
}

TEST_CASE("a layer wider than the fold limit (a loop, not a fold) gives the reference's outputs") {
    static_assert(!kiln::detail::folds<70>);
    using wide_net = kiln::network<double, kiln::dense<70, 5, kiln::relu>, kiln::dense<5, 3, kiln::tanh>>;
    auto net = wide_net::initialized(kiln::he_uniform{}, kiln::seed{4});
    for (std::size_t o = 0; o < 5; ++o) net.layer<0>().bias(o) = 0.1 * double(o);
    std::mt19937 g(9);
    std::uniform_real_distribution<double> u(-1, 3);
    std::vector<kiln::sample<double, 70, 1>> calibration(40);
    for (auto& r : calibration)
        for (auto& v : r.x) v = u(g);
    const auto q = kiln::quantize(net, calibration);
    REQUIRE(q);
    std::uniform_int_distribution<int> byte(-128, 127);
    for (int n = 0; n < 2000; ++n) {
        std::vector<std::int8_t> x(70);
        for (auto& v : x) v = static_cast<std::int8_t>(byte(g));
        REQUIRE(run(q.network, x) == ref::network(q.network, x));
    }
}

TEST_CASE("weights are symmetric per output channel and biases sit at input scale times weight scale") {
    const auto& p = mixed.layer<1>();
    const auto& r = mixed_q.network.layer<1>();
    for (std::size_t o = 0; o < 8; ++o) {
        float m = 0;
        for (std::size_t i = 0; i < 8; ++i) m = std::max(m, std::abs(p.weight(o, i)));
        const float weight_scale = mixed_q.weight_scale<1>(o);
        CHECK(weight_scale == float(double(m) / 127));
        int largest = 0;
        for (std::size_t i = 0; i < 8; ++i) {
            CHECK(std::abs(double(r.weight(o, i)) * weight_scale - p.weight(o, i)) <= 0.5001 * weight_scale);
            largest = std::max(largest, std::abs(int(r.weight(o, i))));
        }
        CHECK(largest == 127);
        const double bias_scale = double(r.input.scale) * double(weight_scale);
        CHECK(std::abs(r.bias(o) * bias_scale - p.bias(o)) <= 0.5001 * bias_scale);
        const double real_multiplier = bias_scale / double(r.pre_activation.scale);
        CHECK(std::abs(std::ldexp(double(r.multiplier[o]), r.shift[o] - 31) - real_multiplier) <= std::ldexp(real_multiplier, -30));
    }
    // A layer's input is the previous layer's output.
    CHECK(mixed_q.network.layer<2>().input == mixed_q.network.layer<1>().output);
    CHECK(mixed_q.network.layer<0>().input == mixed_q.network.input_quantization());
}

TEST_CASE("activations: relu clamps at the zero point, sigmoid, tanh and softmax get TFLite's fixed outputs") {
    const auto& q = mixed_q.network;
    // relu's range starts at 0, so its zero point is -128 and the clamp starts there.
    STATIC_REQUIRE(mixed_q.network.layer<0>().output.zero_point == -128);
    STATIC_REQUIRE(mixed_q.network.layer<0>().low == -128);
    CHECK(q.layer<0>().pre_activation == q.layer<0>().output);
    CHECK(q.layer<1>().output == kiln::quantization<float>{1.0f / 128, 0});
    CHECK(q.layer<3>().output == kiln::quantization<float>{1.0f / 256, -128});
    CHECK(q.layer<5>().output == kiln::quantization<float>{1.0f / 256, -128});
    CHECK(q.output_quantization() == q.layer<5>().output);
    // Each table entry is the float function at the pre-activation value, rounded once.
    const auto rounded = [](const auto& p, auto f, int z) {
        const double y = f((z - p.pre_activation.zero_point) * double(p.pre_activation.scale));
        return std::lround(y / double(p.output.scale)) + p.output.zero_point;
    };
    const auto check_table = [&](const auto& p, auto f) {
        for (int z = -128; z < 128; ++z) REQUIRE(long{p.table.v[z + 128]} == std::clamp(rounded(p, f, z), -128L, 127L));
    };
    check_table(q.layer<2>(), [](double z) { return z > 0 ? z : 0.01 * z; });
    // tanh and sigmoid: symmetric pre-activations (zero point 0, [-127, 127]), the table for
    // z >= 0, and its mirror -table[z] the function at -z rounded once.
    const auto check_symmetric = [&](const auto& p, auto f) {
        CHECK(p.pre_activation.zero_point == 0);
        CHECK(p.low == -127);
        for (int z = 0; z < 128; ++z) {
            REQUIRE(long{p.table.v[z]} == rounded(p, f, z));
            REQUIRE(-long{p.table.v[z]} == rounded(p, f, -z));
        }
    };
    check_symmetric(q.layer<1>(), [](double z) { return std::tanh(z); });
    check_symmetric(q.layer<3>(), [](double z) { return 1 / (1 + std::exp(-z)); });
    // softmax: the exponent step, the knots, and E(d) against 2^15 exp(-d s).
    const auto& sm = q.layer<5>();
    const double s = sm.pre_activation.scale;
    CHECK(sm.table.exp_step == std::lround(s * std::log2(std::exp(1.0)) * 65536));
    for (int j = 0; j <= 16; ++j) CHECK(kiln::detail::exp2_knots[j] == std::lround(32768 * std::exp2(-j / 16.0)));
    CHECK(kiln::detail::softmax_exp(0, sm.table.exp_step) == 32768);
    for (int d = 0; d < 256; ++d) {
        const double x = 32768 * std::exp(-d * s);
        REQUIRE(std::abs(double(kiln::detail::softmax_exp(std::uint32_t(d), sm.table.exp_step)) - x) <= 0.5 + 2e-3 * x);
    }
    for (const double scale : {0.001, 0.0052, 0.03, 0.2, 1.0, 9.0, 50.0}) {  // the bound over the range of logit scales
        const auto k = static_cast<std::uint32_t>(std::min(std::lround(scale * std::log2(std::exp(1.0)) * 65536), 1L << 23));
        for (int d = 0; d < 256; ++d) {
            const double x = 32768 * std::exp(-d * scale);
            REQUIRE(std::abs(double(kiln::detail::softmax_exp(std::uint32_t(d), k)) - x) <= 0.5 + 2e-3 * x);
        }
    }
    // A softmax row sums to about 1.
    for (const auto& s : rows.rows) {
        float out[4];
        q.predict(s.x, out);
        CHECK(std::abs(out[0] + out[1] + out[2] + out[3] - 1.0f) <= 4.0f / 256);
    }
}

TEST_CASE("an argmax over int8 outputs and over the dequantized outputs agree") {
    const auto& q = mixed_q.network;
    for (const auto& s : rows.rows) {
        std::int8_t x[3], y[4];
        float out[4];
        q.quantize_input(s.x, x);
        q.predict(x, y);
        q.predict(s.x, out);
        // One scale and one zero point for all outputs: dequantizing keeps the order.
        for (std::size_t j = 0; j < 4; ++j) CHECK(out[j] == float(y[j] - q.output_quantization().zero_point) * q.output_quantization().scale);
        CHECK(kiln::detail::class_of<4>(out) == kiln::detail::class_of<4>(y));
    }
}

TEST_CASE("inputs are quantized with the input scale and zero point, NaN as 0") {
    const auto& q = mixed_q.network;
    const auto in = q.input_quantization();
    const float x[3] = {0.0f, 1e30f, std::numeric_limits<float>::quiet_NaN()};
    std::int8_t qx[3];
    q.quantize_input(x, qx);
    CHECK(qx[0] == in.zero_point);
    CHECK(qx[1] == 127);
    CHECK(qx[2] == in.zero_point);
    const float y[3] = {-1.5f, 0.5f, 1.25f};
    q.quantize_input(y, qx);
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs((qx[i] - in.zero_point) * in.scale - y[i]) <= 0.5001f * in.scale);
}

// ------------------------------------------------------------------ compile time and run time
TEST_CASE("int8 inference gives the same bits inside the compiler and at run time") {
    constexpr std::int8_t inputs[4][3] = {{0, 0, 0}, {-128, 127, 5}, {77, -3, -90}, {127, 127, 127}};
    constexpr auto outputs = [&] {
        std::array<std::array<std::int8_t, 4>, 4> r{};
        for (std::size_t n = 0; n < 4; ++n) {
            std::int8_t y[4]{};
            mixed_q.network.predict(inputs[n], y);
            for (std::size_t j = 0; j < 4; ++j) r[n][j] = y[j];
        }
        return r;
    }();
    for (std::size_t n = 0; n < 4; ++n) {
        std::int8_t x[3], y[4];
        for (std::size_t i = 0; i < 3; ++i) {
            volatile std::int8_t v = inputs[n][i];  // the run-time side really runs
            x[i] = v;
        }
        mixed_q.network.predict(x, y);
        for (std::size_t j = 0; j < 4; ++j) CHECK(y[j] == outputs[n][j]);
    }
    // The float path too (quantize, int8, dequantize).
    constexpr auto float_out = mixed_q.network.predict(std::array<float, 3>{0.25f, -1.5f, 1.0f});
    volatile float v0 = 0.25f, v1 = -1.5f, v2 = 1.0f;
    CHECK(mixed_q.network.predict(std::array<float, 3>{v0, v1, v2}) == float_out);
}

TEST_CASE("quantizing inside the compiler and at run time gives identical networks") {
    const mixed_net* volatile net = &mixed;  // the run-time side reads both through volatile pointers
    const auto* volatile data = &rows;
    const auto run_time = kiln::quantize(*net, *data);
    CHECK(run_time.status == kiln::quantize_status::ok);
    CHECK(run_time.network == mixed_q.network);

    constexpr auto binary_q = kiln::quantize(binary, rows_double);
    const binary_net* volatile b = &binary;
    const auto* volatile data_double = &rows_double;
    CHECK(kiln::quantize(*b, *data_double).network == binary_q.network);
    // Its single output is read with the 0.5 threshold, on the dequantized value.
    CHECK(kiln::accuracy(binary_q.network, rows_double) == kiln::accuracy(binary, rows_double));
    // A change anywhere is seen by operator==.
    auto changed = run_time.network;
    changed.layer<4>().shift[2] += 1;
    CHECK(!(changed == mixed_q.network));
}

// ------------------------------------------------------------------ accuracy
TEST_CASE("inside the compiler the int8 network classifies iris rows as the float network does") {
    using iris_net = kiln::network<float, kiln::dense<4, 8, kiln::relu>, kiln::dense<8, 3, kiln::softmax>>;
    static constexpr iris_net trained = [] {
        auto net = iris_net::initialized(kiln::he_uniform{}, kiln::seed{1});
        kiln::fit(net, iris_small_train, kiln::softmax_cross_entropy{}, kiln::adam{.learning_rate = 0.02},
                  {.epochs = 60, .batch_size = 4});
        return net;
    }();
    static constexpr auto q = kiln::quantize(trained, iris_small_train).network;
    STATIC_REQUIRE(kiln::accuracy(q, iris_small_train) == kiln::accuracy(trained, iris_small_train));
    STATIC_REQUIRE(kiln::accuracy(q, iris_small_test) == kiln::accuracy(trained, iris_small_test));
    constexpr kiln::confusion_matrix confusion(q, iris_small_test);
    STATIC_REQUIRE(confusion.total() == 3);
}

TEST_CASE("on the digits the int8 networks are within a point of the float ones") {
    const auto digits = kiln::io::read_csv<float, 64, 10>(example_data("digits.csv"), {.label_column = 64, .scale = 1.0 / 16});
    REQUIRE(digits);
    const auto split = kiln::io::split_every(*digits, 5);
    REQUIRE(split.test.size() == 359);
    const kiln::fit_options options{.epochs = 20, .batch_size = 16, .shuffle = true, .seed = kiln::seed{1}};

    // Trains `net` at run time, quantizes it with the training rows as calibration, and
    // compares the held-out accuracies; returns the int8 network.
    const auto within_a_point = [&](auto net, const auto& loss, const char* what) {
        REQUIRE(kiln::fit(net, split.train, loss, kiln::adam{.learning_rate = 0.005f}, options));
        const auto q = kiln::quantize(net, split.train);
        REQUIRE(q);
        const double float_accuracy = kiln::accuracy(net, split.test), int8_accuracy = kiln::accuracy(q.network, split.test);
        INFO(what << ": float " << float_accuracy << ", int8 " << int8_accuracy);
        CHECK(float_accuracy > 0.9);
        CHECK(std::abs(float_accuracy - int8_accuracy) <= 0.01);
        return q.network;
    };
    using relu_net = kiln::network<float, kiln::dense<64, 32, kiln::relu>, kiln::dense<32, 10, kiln::softmax>>;
    within_a_point(relu_net::initialized(kiln::he_uniform{}, kiln::seed{1}), kiln::softmax_cross_entropy{}, "relu/softmax");
    // Tables: a tanh hidden layer and sigmoid outputs.
    using tanh_net = kiln::network<float, kiln::dense<64, 24, kiln::tanh>, kiln::dense<24, 10, kiln::sigmoid>>;
    const auto qb = within_a_point(tanh_net::initialized(kiln::glorot_uniform{}, kiln::seed{1}),
                                   kiln::binary_cross_entropy{}, "tanh/sigmoid");
    // The confusion matrix works on the int8 network too.
    const kiln::confusion_matrix confusion(qb, split.test);
    CHECK(confusion.total() == 359);
}

// ------------------------------------------------------------------ bad input at run time
TEST_CASE("at run time bad weights or calibration data return a status naming the layer or row") {
    auto net = mixed;
    net.layer<3>().weight(1, 2) = std::numeric_limits<float>::quiet_NaN();
    auto r = kiln::quantize(net, rows);
    CHECK(!r);
    CHECK(r.status == kiln::quantize_status::weight_not_finite);
    CHECK(r.layer == 3);

    net = mixed;
    net.layer<1>().bias(0) = std::numeric_limits<float>::infinity();
    r = kiln::quantize(net, rows);
    CHECK(r.status == kiln::quantize_status::weight_not_finite);
    CHECK(r.layer == 1);

    // Finite weights whose outputs grow beyond 2^32 in layer 1 (1e6 * 1e6 * inputs).
    net = mixed;
    for (std::size_t o = 0; o < 8; ++o) net.layer<0>().bias(o) = 1e6f;
    for (std::size_t o = 0; o < 8; ++o)
        for (std::size_t i = 0; i < 8; ++i) net.layer<1>().weight(o, i) = 1e6f;
    r = kiln::quantize(net, rows);
    CHECK(r.status == kiln::quantize_status::calibration_output_not_finite);
    CHECK(r.layer == 1);

    auto bad_rows = rows;
    bad_rows.rows[5].x[1] = -std::numeric_limits<float>::infinity();
    r = kiln::quantize(mixed, bad_rows);
    CHECK(r.status == kiln::quantize_status::calibration_input_not_finite);
    CHECK(r.row == 5);

    r = kiln::quantize(mixed, kiln::dataset_view<float, 3, 1>{});
    CHECK(r.status == kiln::quantize_status::no_calibration_rows);
    // The all-zero network a failed quantize() returns predicts without crashing.
    float out[4];
    r.network.predict(rows.rows[0].x, out);
    CHECK(out[0] == 0.0f);
}
