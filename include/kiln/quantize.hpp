// kiln/quantize.hpp — int8 networks: post-training quantization of a float network (TensorFlow Lite's int8 scheme) and integer inference.
//
// `kiln::quantize(net, calibration_rows)` turns a trained kiln::network<T, L...> into a
// kiln::quantized_network<T, L...> (the float network stays as it is), inside the compiler
// or at run time, with the same bits either way. The scheme is TensorFlow Lite's
// (quantization_spec.md), so the numbers mean what they mean there; real = (q - zero_point) * scale:
//   - weights: int8 in [-127, 127], symmetric per output channel (zero point 0),
//     scale_w[o] = max_i |w(o, i)| / 127 (1 for an all-zero row);
//   - activations (the network's input and every layer's output): int8 in [-128, 127], one
//     scale and zero point per tensor, from the min and max the float network produces on the
//     calibration rows, the range widened to include 0: scale = (max - min) / 255,
//     zero_point = round(-128 - min / scale);
//   - biases: int32, zero point 0, scale = input scale * scale_w[o] (saturated at +-2^30,
//     which with at most 33000 inputs keeps the int32 accumulator from overflowing);
//   - fixed output quantizations: sigmoid (and fast_sigmoid, hard_sigmoid) and softmax 1/256
//     with zero point -128, tanh 1/128 with zero point 0;
//   - requantization of the int32 accumulator to int8: by M = input scale * scale_w[o] /
//     target scale (the output's, or the pre-activation's where a table or softmax follows),
//     stored as a Q0.31 multiplier and a shift (M = multiplier * 2^(shift - 31), multiplier in
//     [2^30, 2^31)), rounded TWICE as TensorFlow Lite's reference kernels do by default:
//     SaturatingRoundingDoublingHighMul (round(a b / 2^31), an exact half rounded up, toward
//     +inf), then RoundingDivideByPOT (half away from zero). TFLite's single-rounding variant
//     (one 64-bit product plus 2^(s-1), shifted) can differ by one in the last place; it is
//     opt-in there (TFLITE_SINGLE_ROUNDING) and in CMSIS-NN (CMSIS_NN_USE_SINGLE_ROUNDING), so
//     the default of both, which CMSIS-NN states is bit-exact with the TFLite reference kernels,
//     is the one a kiln int8 network can be checked against.
//
// Activations. relu is fused: the requantized value is clamped at the output zero point (the
// output range starts at 0). identity needs nothing. Every other element-wise activation
// (sigmoid, tanh, fast_sigmoid, hard_sigmoid, leaky_relu...) is a 256-entry int8 table built
// at quantization time from the activation's own value(): the layer first requantizes to the
// int8 pre-activation (calibrated on the float pre-activations), then table[q + 128] is the
// output, exactly the float function rounded once to the output quantization. softmax: the
// layer requantizes to its int8 logits q_i (scale s, calibrated), then, in 32-bit integers:
//   m = max_i q_i;  E[d] = round(2^15 exp(-d s)) for d = 0..255 (a uint16 table built at
//   quantization time; E[0] = 2^15);  S = sum_i E[m - q_i];
//   y_i = min(127, (E[m - q_i] * 256 + S / 2) / S - 128)   (an unsigned 32-bit division),
// i.e. p_i = E_i / S rounded to the 1/256 grid, zero point -128.
//
// Memory layout of the int8 weights: output-major, w[o][i] (the bytes of w[o * In + i]),
// unlike the float layers' input-major storage. One output's In weights are contiguous, so
// the inner loop walks two int8 arrays (weights, inputs) with the int32 accumulator in a
// register and stores nothing until the output is done. Inside the compiler and on hosts with
// a vector unit the inner sum is an unrolled fold (In <= 64); on a core without one, at run
// time, it is detail::int8_dot, one small out-of-line loop every layer shares (an unrolled
// fold there is only long code). Measured under QEMU -icount on the digits network
// (bench/footprint.sh, arm-none-eabi-g++ 12.2 -Os): Cortex-M4F 5.7 instructions per
// multiply-add in all (the loop: eight ldrsb and four smlabb per four products), Cortex-M0+
// 11.0 (ldrsb, ldrsb, muls, adds and the loop per product). The input-major order would need all Out
// accumulators live: a load and a store per product.
// The input zero point is folded into the accumulator's start value at quantization time
// (accumulator_start[o] = bias[o] - zero_point_in * sum_i w(o, i)), so the inner loop is a
// plain sum of products.
//
// The integer inference path (predict on int8) uses only int8/int32 arithmetic, one 64-bit
// product per output (no 64-bit division: the divisions by 2^31 are shifts) and, for
// softmax, one unsigned 32-bit division per output; no float, so it runs unchanged on an
// FPU-less microcontroller. The float predict() (quantize the input, run the int8 network,
// dequantize the output) is the convenience around it that kiln::accuracy and
// kiln::confusion_matrix use. All outputs share one scale and zero point (per-tensor
// output quantization), so an argmax over the int8 outputs and over the dequantized ones
// agree: they compare like with like.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "activation.hpp"
#include "dataset.hpp"
#include "layer.hpp"
#include "math.hpp"
#include "network.hpp"
#include "unroll.hpp"

namespace kiln {

/// An affine int8 quantization: real = (q - zero_point) * scale.
template <class T>
struct quantization {
    T scale;
    std::int32_t zero_point;
    friend constexpr bool operator==(const quantization&, const quantization&) = default;
};

// ------------------------------------------------------------------------------------ integer arithmetic

namespace detail {
inline constexpr std::int32_t int32_min = std::numeric_limits<std::int32_t>::min();
inline constexpr std::int32_t int32_max = std::numeric_limits<std::int32_t>::max();

/// round(a * b / 2^31), an exact half rounded up (toward +inf: the nudge is 2^30 for a
/// non-negative product, 1 - 2^30 for a negative one, then a truncating division), saturating
/// the one overflowing case (a == b == -2^31): gemmlowp's SaturatingRoundingDoublingHighMul.
constexpr std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b) noexcept {
    if (a == int32_min && b == int32_min) return int32_max;
    const std::int64_t ab = std::int64_t{a} * std::int64_t{b};
    const std::int64_t t = ab + (ab >= 0 ? (std::int64_t{1} << 30) : 1 - (std::int64_t{1} << 30));
    // t / 2^31 truncated toward zero, as shifts (no 64-bit division on a Cortex-M0+).
    return static_cast<std::int32_t>(t >= 0 ? t >> 31 : -((-t) >> 31));
}

/// x / 2^exponent rounded half away from zero, exponent in [0, 31]: gemmlowp's RoundingDivideByPOT.
constexpr std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent) noexcept {
    const std::int32_t mask = static_cast<std::int32_t>((std::int64_t{1} << exponent) - 1);
    const std::int32_t remainder = x & mask;
    const std::int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
} // namespace detail

/// acc * multiplier * 2^(shift - 31) rounded as TensorFlow Lite's default
/// MultiplyByQuantizedMultiplier: a left shift (shift > 0, saturated to int32 where TFLite
/// would overflow), the rounding doubling high multiply, then a rounding right shift by -shift.
constexpr std::int32_t requantize(std::int32_t acc, std::int32_t multiplier, int shift) noexcept {
    int right = -shift;
    if (shift > 0) {  // rare (a multiplier above 1): the saturating 64-bit shift only then
        std::int64_t x = std::int64_t{acc} << shift;  // defined for negative values since C++20
        acc = static_cast<std::int32_t>(x > detail::int32_max ? detail::int32_max : (x < detail::int32_min ? detail::int32_min : x));
        right = 0;
    }
    return detail::rounding_divide_by_pot(detail::saturating_rounding_doubling_high_mul(acc, multiplier), right);
}

/// A real multiplier M >= 0 as M = multiplier * 2^(shift - 31) with multiplier in [2^30, 2^31)
/// (TensorFlow Lite's QuantizeMultiplier): 0 for M = 0 or M < 2^-32, the largest for M >= 2^30.
struct quantized_multiplier {
    std::int32_t multiplier;
    int shift;
};
constexpr quantized_multiplier quantize_multiplier(double m) noexcept {
    if (!(m > 0)) return {0, 0};
    const auto bits = std::bit_cast<std::uint64_t>(m);
    const int biased = static_cast<int>((bits >> 52) & 0x7ff);
    if (biased == 0) return {0, 0};  // subnormal: far below 2^-32
    if (biased == 0x7ff) return {detail::int32_max, 30};
    int shift = biased - 1022;  // m = q * 2^shift, q in [0.5, 1)
    const double q2 = std::bit_cast<double>((bits & ~(std::uint64_t{0x7ff} << 52)) | (std::uint64_t{1022 + 31} << 52));
    std::int64_t fixed = static_cast<std::int64_t>(q2);  // q * 2^31, exact scaling, then rounded half up
    if (q2 - static_cast<double>(fixed) >= 0.5) ++fixed;
    if (fixed == (std::int64_t{1} << 31)) {
        fixed /= 2;
        ++shift;
    }
    if (shift < -31) return {0, 0};
    if (shift > 30) return {detail::int32_max, 30};
    return {static_cast<std::int32_t>(fixed), shift};
}

// ------------------------------------------------------------------------------------ int8 layers

/// How a quantized layer applies its activation.
enum class int8_activation {
    none,     ///< identity: the requantized value is the output
    relu,     ///< relu, fused: clamped at the output zero point
    table,    ///< any other element-wise activation: a 256-entry int8 table
    softmax,  ///< the integer softmax above, from a uint16 exp table
};

namespace detail {
template <class A>
constexpr int8_activation int8_form_of() {
    if constexpr (std::is_same_v<A, identity>) return int8_activation::none;
    else if constexpr (std::is_same_v<A, relu>) return int8_activation::relu;
    else if constexpr (std::is_same_v<A, softmax>) return int8_activation::softmax;
    else if constexpr (requires { { A::template value<double>(0.0) } -> std::same_as<double>; }) return int8_activation::table;
    else {
        static_assert(requires { A::template value<double>(0.0); },
                      "kiln::quantize: this activation has no int8 form (kiln's are identity, relu, softmax and element-wise ones with value())");
        return int8_activation::none;
    }
}

/// The activation's table: int8 outputs for the element-wise ones, exp values for softmax.
template <int8_activation Form>
struct activation_table {
    friend constexpr bool operator==(const activation_table&, const activation_table&) = default;
};
template <>
struct activation_table<int8_activation::table> {
    std::int8_t v[256];  ///< v[q + 128]: the output for the int8 pre-activation q
    friend constexpr bool operator==(const activation_table&, const activation_table&) = default;
};
template <>
struct activation_table<int8_activation::softmax> {
    std::uint16_t v[256];  ///< v[d] = round(2^15 exp(-d * logit scale))
    friend constexpr bool operator==(const activation_table&, const activation_table&) = default;
};

/// The output quantization TensorFlow Lite fixes for an activation (scale 0: calibrated).
template <class A>
constexpr quantization<double> fixed_output_of() {
    if constexpr (std::is_same_v<A, tanh>) return {1.0 / 128, 0};
    else if constexpr (std::is_same_v<A, sigmoid> || std::is_same_v<A, fast_sigmoid> ||
                       std::is_same_v<A, hard_sigmoid> || std::is_same_v<A, softmax>)
        return {1.0 / 256, -128};
    else return {0.0, 0};
}
} // namespace detail

/// The parameters of a quantized dense layer In -> Out followed by Activation.
template <class T, std::size_t In, std::size_t Out, class Activation>
struct quantized_dense_params {
    // Every |accumulator| stays below 2^31: |start| <= 2^30 + 128 * 127 * In, plus the sum.
    static_assert(In <= 33000, "kiln::quantized_dense_params: an int8 layer takes at most 33000 inputs (its int32 accumulator could overflow)");
    static_assert(Out <= 65535, "kiln::quantized_dense_params: an int8 layer has at most 65535 outputs (the softmax sum is 32-bit)");
    using value_type = T;
    static constexpr std::size_t inputs = In, outputs = Out;
    static constexpr int8_activation form = detail::int8_form_of<Activation>();

    std::int8_t w[Out][In];                 ///< output-major: w[o][i], each output's In weights contiguous (see the header comment)
    std::int32_t bias[Out];                 ///< TFLite's int32 bias: scale input.scale * weight_scale[o], zero point 0
    std::int32_t accumulator_start[Out];    ///< bias[o] - input.zero_point * sum_i w(o, i)
    std::int32_t multiplier[Out];           ///< Q0.31: input.scale * weight_scale[o] / pre_activation.scale
    std::int8_t shift[Out];                 ///< ... = multiplier[o] * 2^(shift[o] - 31)
    T weight_scale[Out];                    ///< real weight = w(o, i) * weight_scale[o]
    quantization<T> input;                  ///< the previous layer's output (or the network's input)
    quantization<T> pre_activation;         ///< what the accumulator is requantized to (= output without a table)
    quantization<T> output;
    std::int8_t low, high;                  ///< the requantized value's clamp (relu: low = the zero point)
    [[no_unique_address]] detail::activation_table<form> table;

    /// The int8 weight from input i to output o.
    constexpr std::int8_t weight(std::size_t o, std::size_t i) const noexcept { return w[o][i]; }
    friend constexpr bool operator==(const quantized_dense_params&, const quantized_dense_params&) = default;
};

namespace detail {
/// The integer softmax of the header comment, in place.
template <std::size_t W>
constexpr void softmax_int8(const std::uint16_t (&e)[256], std::int8_t (&y)[W]) {
    std::int32_t m = y[0];
    for (std::size_t i = 1; i < W; ++i) m = y[i] > m ? y[i] : m;
    std::uint32_t s = 0;
    for (std::size_t i = 0; i < W; ++i) s += e[m - y[i]];
    if (s == 0) s = 1;  // only in the all-zero network a failed quantize() returns
    for (std::size_t i = 0; i < W; ++i) {
        const std::uint32_t p = ((std::uint32_t{e[m - y[i]]} << 8) + s / 2) / s;
        const std::int32_t v = static_cast<std::int32_t>(p) - 128;
        y[i] = static_cast<std::int8_t>(v > 127 ? 127 : v);
    }
}

/// sum_i w[i] x[i] at run time on cores without a vector unit: one small loop that every layer
/// shares, four products a turn (one on ARMv6-M), out of line so that it has the registers to
/// itself (integer sums: any order gives the same value).
[[gnu::noinline]] inline std::int32_t int8_dot(const std::int8_t* w, const std::int8_t* x, std::size_t n) noexcept {
    std::int32_t s = 0;
#if defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB == 1
    // ARMv6-M (Cortex-M0/M0+): ldrsb has no immediate offset, so one index register serves
    // both loads; unrolling only adds instructions that materialise offsets.
    for (std::size_t i = 0; i < n; ++i) s += w[i] * x[i];
#else
    for (std::size_t turns = n / 4; turns != 0; --turns, w += 4, x += 4) s = s + w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3] * x[3];
    for (n %= 4; n != 0; --n) s += *w++ * *x++;
#endif
    return s;
}

/// One int8 layer's pass. The input index pack I... is at class level for the fold (see layer.hpp).
template <std::size_t In, std::size_t Out, class Activation, class Seq>
struct int8_dense;
template <std::size_t In, std::size_t Out, class Activation, std::size_t... I>
struct int8_dense<In, Out, Activation, std::index_sequence<I...>> {
    template <class T>
    static constexpr void forward(const quantized_dense_params<T, In, Out, Activation>& p, const std::int8_t (&x)[In],
                                  std::int8_t (&y)[Out]) {
        for (std::size_t o = 0; o < Out; ++o) {
            const std::int8_t(&w)[In] = p.w[o];
            std::int32_t acc = p.accumulator_start[o];
            if constexpr (folds<In> && vector_unit) {  // cheap inside the compiler, vectorised at run time
                acc += (... + (w[I] * x[I]));
            } else if constexpr (folds<In>) {  // without a vector unit an unrolled fold is only long code
                if (__builtin_is_constant_evaluated()) acc += (... + (w[I] * x[I]));
                else acc += int8_dot(w, x, In);
            } else {
                for (std::size_t i = 0; i < In; ++i) acc += w[i] * x[i];
            }
            std::int32_t v = requantize(acc, p.multiplier[o], p.shift[o]);
            v = v < -256 ? -256 : (v > 256 ? 256 : v);  // keeps v + zero point from overflowing
            v += p.pre_activation.zero_point;
            y[o] = static_cast<std::int8_t>(v < p.low ? p.low : (v > p.high ? p.high : v));
        }
        using P = quantized_dense_params<T, In, Out, Activation>;
        if constexpr (P::form == int8_activation::table)
            for (std::size_t o = 0; o < Out; ++o) y[o] = p.table.v[y[o] + 128];
        else if constexpr (P::form == int8_activation::softmax)
            softmax_int8(p.table.v, y);
    }
};

/// The quantized layers' parameters, one network.hpp layer_slot each (reached by detail::slot).
template <class T, class Seq, class... L>
struct qlayer_pack;
template <class T, std::size_t... K, class... L>
struct qlayer_pack<T, std::index_sequence<K...>, L...>
    : layer_slot<K, quantized_dense_params<T, L::inputs, L::outputs, typename L::activation>>... {
    friend constexpr bool operator==(const qlayer_pack&, const qlayer_pack&) = default;
};

/// int8 buffers for one pass: block 0 the input, block K + 1 layer K's output.
template <std::size_t K, std::size_t W>
struct int8_block {
    std::int8_t v[W];
};
template <class Seq, std::size_t... W>
struct int8_blocks;
template <std::size_t... K, std::size_t... W>
struct int8_blocks<std::index_sequence<K...>, W...> : int8_block<K, W>... {};

/// round(v) half away from zero, for |v| below 2^62.
template <std::floating_point F>
constexpr std::int64_t round_half_away(F v) noexcept {
    std::int64_t t = static_cast<std::int64_t>(v);
    const F f = v - static_cast<F>(t);
    if (f >= F(0.5)) ++t;
    else if (f <= F(-0.5)) --t;
    return t;
}
template <class I, class V>
constexpr I clamp_to(V v, V lo, V hi) noexcept {
    return static_cast<I>(v < lo ? lo : (v > hi ? hi : v));
}

/// x quantized with q: clamp(round(x / scale) + zero_point) (NaN reads as the zero point, i.e. 0).
template <class T>
constexpr std::int8_t quantize_value(T x, const quantization<T>& q) noexcept {
    T v = x / q.scale;
    if (!(v == v)) v = T(0);
    v = v < T(-512) ? T(-512) : (v > T(512) ? T(512) : v);
    return clamp_to<std::int8_t, std::int64_t>(round_half_away(v) + q.zero_point, -128, 127);
}
} // namespace detail

/// An int8 network: kiln::quantize's result for a kiln::network<T, L...>. Its layers'
/// parameters are quantized_dense_params; predict() runs on int8 (integer arithmetic only)
/// or on T (quantize, run, dequantize), the latter being what kiln's metrics call.
template <std::floating_point T, layer... L>
struct quantized_network {
    using value_type = T;
    static constexpr std::size_t depth = sizeof...(L);
    static constexpr std::size_t inputs = detail::first_of<L...>::type::inputs;
    static constexpr std::size_t outputs = detail::last_of<L...>::type::outputs;
    /// The float network this one quantizes.
    using float_network = network<T, L...>;
    template <std::size_t K>
    using layer_type = detail::nth_layer<K, L...>;
    template <std::size_t K>
    using params_type = quantized_dense_params<T, layer_type<K>::inputs, layer_type<K>::outputs, typename layer_type<K>::activation>;

    detail::qlayer_pack<T, std::index_sequence_for<L...>, L...> layers;

    /// The parameters of layer K.
    template <std::size_t K>
    constexpr auto& layer() noexcept { return detail::slot<K>(layers); }
    template <std::size_t K>
    constexpr const auto& layer() const noexcept { return detail::slot<K>(layers); }

    /// The input's and the output's quantization (every output shares the one scale and zero point).
    constexpr const quantization<T>& input_quantization() const noexcept { return layer<0>().input; }
    constexpr const quantization<T>& output_quantization() const noexcept { return layer<depth - 1>().output; }

    /// The int8 network's output for an int8 input: integer arithmetic only.
    constexpr void predict(const std::int8_t (&x)[inputs], std::int8_t (&y)[outputs]) const {
        // Left uninitialised, as the float network's blocks: each is written before it is read.
        detail::int8_blocks<std::make_index_sequence<depth + 1>, inputs, L::outputs...> v;
        auto& in = static_cast<detail::int8_block<0, inputs>&>(v).v;
        for (std::size_t i = 0; i < inputs; ++i) in[i] = x[i];
        forward_all(v, std::index_sequence_for<L...>{});
        const auto& out = static_cast<detail::int8_block<depth, outputs>&>(v).v;
        for (std::size_t j = 0; j < outputs; ++j) y[j] = out[j];
    }
    /// For a float input: quantized with input_quantization(), run on int8, the outputs
    /// dequantized with output_quantization().
    constexpr void predict(const T (&x)[inputs], T (&y)[outputs]) const {
        std::int8_t qx[inputs]{}, qy[outputs]{};
        quantize_input(x, qx);
        predict(qx, qy);
        dequantize_output(qy, y);
    }
    constexpr std::array<std::int8_t, outputs> predict(const std::array<std::int8_t, inputs>& x) const {
        std::int8_t in[inputs]{}, out[outputs]{};
        for (std::size_t i = 0; i < inputs; ++i) in[i] = x[i];
        predict(in, out);
        std::array<std::int8_t, outputs> y{};
        for (std::size_t j = 0; j < outputs; ++j) y[j] = out[j];
        return y;
    }
    constexpr std::array<T, outputs> predict(const std::array<T, inputs>& x) const {
        T in[inputs]{}, out[outputs]{};
        for (std::size_t i = 0; i < inputs; ++i) in[i] = x[i];
        predict(in, out);
        std::array<T, outputs> y{};
        for (std::size_t j = 0; j < outputs; ++j) y[j] = out[j];
        return y;
    }

    /// q[i] = clamp(round(x[i] / scale) + zero_point, -128, 127) with the input's quantization.
    constexpr void quantize_input(const T (&x)[inputs], std::int8_t (&q)[inputs]) const {
        for (std::size_t i = 0; i < inputs; ++i) q[i] = detail::quantize_value(x[i], input_quantization());
    }
    /// y[j] = (q[j] - zero_point) * scale with the output's quantization.
    constexpr void dequantize_output(const std::int8_t (&q)[outputs], T (&y)[outputs]) const {
        const auto& oq = output_quantization();
        for (std::size_t j = 0; j < outputs; ++j) y[j] = T(std::int32_t{q[j]} - oq.zero_point) * oq.scale;
    }

    friend constexpr bool operator==(const quantized_network&, const quantized_network&) = default;

private:
    template <class V, std::size_t... K>
    constexpr void forward_all(V& v, std::index_sequence<K...>) const {
        (detail::int8_dense<L::inputs, L::outputs, typename L::activation, std::make_index_sequence<L::inputs>>::forward(
             detail::slot<K>(layers), static_cast<detail::int8_block<K, L::inputs>&>(v).v,
             static_cast<detail::int8_block<K + 1, L::outputs>&>(v).v),
         ...);
    }
};

// ------------------------------------------------------------------------------------ quantize()

/// Why quantize() stopped (its result's network is then all zeros).
enum class quantize_status {
    ok,
    no_calibration_rows,
    calibration_input_not_finite,   ///< row: the calibration row
    weight_not_finite,              ///< layer: the layer with a NaN, inf or huge weight or bias
    calibration_output_not_finite,  ///< layer: the layer whose outputs became NaN, inf or huge
};

/// What quantize() returns: the int8 network, a status, and where a problem was found.
template <class QNet>
struct quantize_result {
    QNet network;
    quantize_status status = quantize_status::ok;
    std::size_t layer = 0;  ///< for weight_not_finite and calibration_output_not_finite
    std::size_t row = 0;    ///< for calibration_input_not_finite
    constexpr explicit operator bool() const noexcept { return status == quantize_status::ok; }
};

/// The int8 network type kiln::quantize makes of Net.
template <class Net>
struct quantized_type;
template <class T, class... L>
struct quantized_type<network<T, L...>> {
    using type = quantized_network<T, L...>;
};
template <class Net>
using quantized_network_for = typename quantized_type<Net>::type;

namespace detail {
// Non-constexpr: reaching one inside the compiler is a compile error naming it (and the
// layer, in its template argument); at run time they do nothing and quantize() returns the status.
// "Huge" means beyond 2^(max exponent / 4) (2^32 for float), which keeps every product of
// the calibration pass finite: GCC rejects a constant that overflows, before any check.
template <std::size_t Layer>
inline void quantize_layer_holds_a_weight_or_bias_that_is_nan_inf_or_huge() {}
template <std::size_t Layer>
inline void quantize_calibration_outputs_of_layer_are_nan_inf_or_huge() {}
inline void quantize_calibration_row_holds_a_nan_inf_or_huge_input(std::size_t /*row*/) {}
inline void quantize_needs_at_least_one_calibration_row() {}

template <class T>
inline constexpr T quantize_bound = kiln::math::ldexp(T(1), std::numeric_limits<T>::max_exponent / 4);
// Comparisons only: arithmetic on a NaN is itself an error inside Clang's evaluator.
template <class T>
constexpr bool within_bound(T v) noexcept { return v <= quantize_bound<T> && v >= -quantize_bound<T>; }

/// A calibrated range, started at [0, 0]: TFLite's ranges always include 0.
struct value_range {
    double lo = 0, hi = 0;
    constexpr void add(double v) noexcept {
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
};

/// TFLite's asymmetric int8 quantization of a range (scale rounded to T first; what is
/// stored is what everything else is computed from).
template <class T>
constexpr quantization<T> quantization_of(const value_range& r) noexcept {
    double s = (r.hi - r.lo) / 255.0;
    if (!(s > 0)) s = 1.0;  // an all-zero tensor: any scale, zero at -128
    const T scale = static_cast<T>(s);
    const double z = -128.0 - r.lo / static_cast<double>(scale);
    return {scale, clamp_to<std::int32_t, std::int64_t>(round_half_away(z < -1e9 ? -1e9 : (z > 1e9 ? 1e9 : z)), -128, 127)};
}

template <class T, class Net>
struct quantizer {
    static constexpr std::size_t depth = Net::depth;

    /// Whether layer K's weights and biases are all finite and not huge.
    template <std::size_t K>
    static constexpr bool layer_ok(const Net& net) {
        const auto& p = net.template layer<K>();
        using P = std::remove_cvref_t<decltype(p)>;
        bool ok = true;
        for (std::size_t o = 0; o < P::outputs; ++o) {
            ok = ok && within_bound(p.bias(o));
            for (std::size_t i = 0; i < P::inputs; ++i) ok = ok && within_bound(p.weight(o, i));
        }
        return ok;
    }

    /// One calibration row through layers K...: widens z[K] (pre-activation) and a[K]
    /// (output); false, with `bad` set, when a layer's values leave the bound.
    template <std::size_t K, std::size_t W>
    static constexpr bool calibrate(const Net& net, const T (&x)[1][W], value_range (&z)[depth], value_range (&a)[depth],
                                    std::size_t& bad) {
        using Lk = typename Net::template layer_type<K>;
        constexpr std::size_t Out = Lk::outputs;
        // The pre-activation through the layer's own pass with the identity activation (the
        // parameters' type does not depend on the activation), then the activation.
        T zb[1][Out]{};
        dense<Lk::inputs, Out, identity, bias_option{Lk::has_bias}>::forward(net.template layer<K>(), x, zb, 1);
        for (std::size_t o = 0; o < Out; ++o) {
            if (!within_bound(zb[0][o])) {
                bad = K;
                return false;
            }
            z[K].add(static_cast<double>(zb[0][o]));
        }
        Lk::activation::forward(zb, 1);
        for (std::size_t o = 0; o < Out; ++o) a[K].add(static_cast<double>(zb[0][o]));
        if constexpr (K + 1 < depth) return calibrate<K + 1>(net, zb, z, a, bad);
        else return true;
    }

    /// Layer K quantized, its input quantized with `in`.
    template <std::size_t K>
    static constexpr void quantize_layer(const Net& net, quantized_network_for<Net>& q, quantization<T>& in,
                                         const value_range& z, const value_range& a) {
        using Lk = typename Net::template layer_type<K>;
        using A = typename Lk::activation;
        constexpr std::size_t In = Lk::inputs, Out = Lk::outputs;
        const auto& p = net.template layer<K>();
        auto& r = q.template layer<K>();
        using R = std::remove_cvref_t<decltype(r)>;
        constexpr auto fixed = fixed_output_of<A>();

        r.input = in;
        if constexpr (R::form == int8_activation::none || R::form == int8_activation::relu) {
            r.output = r.pre_activation = quantization_of<T>(a);
        } else {
            r.pre_activation = quantization_of<T>(z);
            r.output = fixed.scale > 0 ? quantization<T>{static_cast<T>(fixed.scale), fixed.zero_point} : quantization_of<T>(a);
        }
        r.low = R::form == int8_activation::relu ? static_cast<std::int8_t>(r.output.zero_point) : std::int8_t{-128};
        r.high = 127;

        const double s_in = static_cast<double>(in.scale);
        const double s_pre = static_cast<double>(r.pre_activation.scale);
        for (std::size_t o = 0; o < Out; ++o) {
            double m = 0;
            for (std::size_t i = 0; i < In; ++i) {
                const double w = static_cast<double>(p.weight(o, i));
                const double aw = w < 0 ? -w : w;
                m = aw > m ? aw : m;
            }
            r.weight_scale[o] = static_cast<T>(m > 0 ? m / 127.0 : 1.0);
            const double s_w = static_cast<double>(r.weight_scale[o]);
            std::int64_t sum = 0;
            for (std::size_t i = 0; i < In; ++i) {
                const std::int64_t qw = clamp_to<std::int64_t, std::int64_t>(
                    round_half_away(static_cast<double>(p.weight(o, i)) / s_w), -127, 127);
                r.w[o][i] = static_cast<std::int8_t>(qw);
                sum += qw;
            }
            constexpr double bias_limit = double(std::int64_t{1} << 30);
            double b = static_cast<double>(p.bias(o)) / (s_in * s_w);
            b = b > bias_limit ? bias_limit : (b < -bias_limit ? -bias_limit : b);
            r.bias[o] = static_cast<std::int32_t>(round_half_away(b));
            r.accumulator_start[o] = static_cast<std::int32_t>(r.bias[o] - std::int64_t{in.zero_point} * sum);
            const auto qm = quantize_multiplier(s_in * s_w / s_pre);
            r.multiplier[o] = qm.multiplier;
            r.shift[o] = static_cast<std::int8_t>(qm.shift);
        }

        if constexpr (R::form == int8_activation::table) {
            const double s_out = static_cast<double>(r.output.scale);
            for (int qz = -128; qz < 128; ++qz) {
                const double y = A::template value<double>(double(qz - r.pre_activation.zero_point) * s_pre) / s_out;
                const double c = y < -1e6 ? -1e6 : (y > 1e6 ? 1e6 : y);
                r.table.v[qz + 128] = clamp_to<std::int8_t, std::int64_t>(round_half_away(c) + r.output.zero_point, -128, 127);
            }
        } else if constexpr (R::form == int8_activation::softmax) {
            for (int d = 0; d < 256; ++d)
                r.table.v[d] = static_cast<std::uint16_t>(round_half_away(32768.0 * kiln::math::exp(-double(d) * s_pre)));
        }
        in = r.output;
    }

    template <std::size_t... K>
    static constexpr std::size_t first_bad_layer(const Net& net, std::index_sequence<K...>) {
        std::size_t bad = depth;
        ((bad == depth && !layer_ok<K>(net) ? (quantize_layer_holds_a_weight_or_bias_that_is_nan_inf_or_huge<K>(), bad = K) : bad),
         ...);
        return bad;
    }

    template <std::size_t K>
    static constexpr void report_bad_output(std::size_t bad) {
        if constexpr (K < depth) {
            if (bad == K) quantize_calibration_outputs_of_layer_are_nan_inf_or_huge<K>();
            else report_bad_output<K + 1>(bad);
        }
    }

    template <std::size_t... K>
    static constexpr void quantize_all(const Net& net, quantized_network_for<Net>& q, quantization<T> in,
                                       const value_range (&z)[depth], const value_range (&a)[depth], std::index_sequence<K...>) {
        (quantize_layer<K>(net, q, in, z[K], a[K]), ...);
    }
};
} // namespace detail

/// Post-training int8 quantization of `net` (see the header comment), the activation ranges
/// calibrated on the inputs of `calibration` (any dataset-like rows with the network's
/// inputs; their targets are not used). Inside the compiler a NaN, inf or huge weight or
/// calibration value is a compile error naming the layer (or row); at run time the result's
/// status says it and where.
template <std::floating_point T, layer... L, class Data>
constexpr quantize_result<quantized_network<T, L...>> quantize(const network<T, L...>& net, const Data& calibration) {
    using net_type = network<T, L...>;
    using q = detail::quantizer<T, net_type>;
    const auto rows = kiln::view(calibration);
    using sample_type = typename std::remove_cvref_t<decltype(rows)>::value_type;
    static_assert(std::is_same_v<typename sample_type::value_type, T>,
                  "kiln::quantize: the calibration rows' value type (float or double) differs from the network's");
    static_assert(sample_type::inputs == net_type::inputs,
                  "kiln::quantize: the calibration rows have a different number of inputs than the network's first layer");
    constexpr std::size_t depth = sizeof...(L), In = net_type::inputs;

    quantize_result<quantized_network<T, L...>> result{};
    if (rows.empty()) {
        detail::quantize_needs_at_least_one_calibration_row();
        result.status = quantize_status::no_calibration_rows;
        return result;
    }
    if (const std::size_t bad = q::first_bad_layer(net, std::index_sequence_for<L...>{}); bad != depth) {
        result.status = quantize_status::weight_not_finite;
        result.layer = bad;
        return result;
    }
    detail::value_range input{}, z[depth]{}, a[depth]{};
    for (std::size_t r = 0; r < rows.size(); ++r) {
        T x[1][In]{};
        for (std::size_t i = 0; i < In; ++i) {
            if (!detail::within_bound(rows[r].x[i])) {
                detail::quantize_calibration_row_holds_a_nan_inf_or_huge_input(r);
                result.status = quantize_status::calibration_input_not_finite;
                result.row = r;
                return result;
            }
            x[0][i] = rows[r].x[i];
            input.add(static_cast<double>(x[0][i]));
        }
        std::size_t bad = depth;
        if (!q::template calibrate<0>(net, x, z, a, bad)) {
            q::template report_bad_output<0>(bad);
            result.status = quantize_status::calibration_output_not_finite;
            result.layer = bad;
            return result;
        }
    }
    q::quantize_all(net, result.network, detail::quantization_of<T>(input), z, a, std::index_sequence_for<L...>{});
    return result;
}

} // namespace kiln
