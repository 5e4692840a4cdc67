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
// output range starts at 0). identity needs nothing. The layer first requantizes to an int8
// pre-activation q (calibrated on the float pre-activations), then:
//   - tanh, sigmoid, fast_sigmoid, hard_sigmoid (point-symmetric, fixed outputs centred on
//     int8 0): the pre-activation is quantized symmetrically (zero point 0, [-127, 127], scale
//     max |z| / 127), and a 128-entry table holds the outputs for q = 0..127, each the
//     activation's own value() rounded once to the output quantization (0..128); a negative q
//     reads the mirror, -table[-q], and 128 is clamped to 127. Half the table a calibrated
//     zero point would need, and on the digits network the same held-out accuracy.
//   - any other element-wise activation (leaky_relu...): a 256-entry int8 table, table[q + 128],
//     the float function rounded once, over the asymmetric calibrated pre-activation.
//   - softmax: the layer requantizes to its int8 logits q_i (scale s, calibrated), then, in
//     32-bit integers, with the exponent step k = round(2^16 log2(e) s) (at most 2^23):
//       m = max_i q_i;  E_i = E(m - q_i), E(d) ~ 2^15 exp(-d s) = 2^15 2^(-d k / 2^16), computed:
//         t = d k = 2^16 n + f;  2^(-f / 2^16) interpolated linearly between the 17 knots
//         round(2^15 2^(-j/16)) (detail::exp2_knots), then rounded n places right; 0 for n >= 16
//         (detail::softmax_exp; within 0.5 + 0.2% of 2^15 exp(-d s), the 0.2% from rounding k);
//       S = sum_i E_i;  y_i = min(127, (E_i * 256 + S / 2) / S - 128)   (an unsigned 32-bit division),
//     i.e. p_i = E_i / S rounded to the 1/256 grid, zero point -128. No table: 4 bytes a layer
//     and 34 shared, where a uint16 table of the 256 values took 512.
//
// Memory layout of the int8 weights: output-major, w[o][i] (the bytes of w[o * In + i]),
// unlike the float layers' input-major storage. One output's In weights are contiguous, so
// the inner loop walks two int8 arrays (weights, inputs) with the int32 accumulator in a
// register and stores nothing until the output is done. Inside the compiler and on hosts with
// a vector unit the inner sum is an unrolled fold (In <= 64); on a core without one, at run
// time, it is detail::int8_dot, one small out-of-line loop every layer shares (an unrolled
// fold there is only long code). Measured under QEMU -icount on the digits network
// (bench/footprint.sh, arm-none-eabi-g++ 12.2 -Os): Cortex-M4F 5.4 instructions per
// multiply-add in all (the loop: eight ldrsb and four smlabb per four products), Cortex-M0+
// 10.7 (ldrsb, ldrsb, muls, adds and the loop per product). The input-major order would need all Out
// accumulators live: a load and a store per product.
// The input zero point is folded into the accumulator's start value at quantization time
// (accumulator_start[o] = bias(o) - zero_point_in * sum_i w(o, i)), so the inner loop is a
// plain sum of products. The layer object holds what inference reads and no more (the int32
// bias is recomputed from it; the float weight scales are in quantize_result), so a baked
// network is nothing more in flash: 2,936 B for the digits network, 2,368 of them weights.
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

/// round(a * b / 2^31), an exact half rounded up (toward +inf), saturating the one overflowing
/// case (a == b == -2^31): gemmlowp's SaturatingRoundingDoublingHighMul. gemmlowp adds a nudge
/// (2^30 for a non-negative product, 1 - 2^30 for a negative one) and divides truncating; for
/// a negative product that truncation is the floor of (a b + 2^30) / 2^31 too, so one
/// arithmetic shift serves both signs.
constexpr std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b) noexcept {
    if (a == int32_min && b == int32_min) return int32_max;
    return static_cast<std::int32_t>((std::int64_t{a} * std::int64_t{b} + (std::int64_t{1} << 30)) >> 31);
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
/// would overflow), the rounding doubling high multiply, then a rounding right shift by -shift;
/// shift in [-31, 30], as quantize_multiplier makes it.
constexpr std::int32_t requantize(std::int32_t acc, std::int32_t multiplier, int shift) noexcept {
    int right = -shift;
    if (shift > 0) {  // rare (a multiplier above 1): acc * 2^shift saturated to int32, in 32 bits
        acc = acc > (detail::int32_max >> shift) ? detail::int32_max
            : acc < (detail::int32_min >> shift) ? detail::int32_min
                                                 : static_cast<std::int32_t>(static_cast<std::uint32_t>(acc) << shift);
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
    none,       ///< identity: the requantized value is the output
    relu,       ///< relu, fused: clamped at the output zero point
    symmetric,  ///< tanh and the sigmoids (point-symmetric): a 128-entry table, mirrored for q < 0
    table,      ///< any other element-wise activation: a 256-entry int8 table
    softmax,    ///< the integer softmax above, its exponentials computed (no table)
};

namespace detail {
template <class A>
constexpr int8_activation int8_form_of() {
    if constexpr (std::is_same_v<A, identity>) return int8_activation::none;
    else if constexpr (std::is_same_v<A, relu>) return int8_activation::relu;
    else if constexpr (std::is_same_v<A, softmax>) return int8_activation::softmax;
    else if constexpr (std::is_same_v<A, tanh> || std::is_same_v<A, sigmoid> || std::is_same_v<A, fast_sigmoid> ||
                       std::is_same_v<A, hard_sigmoid>)
        return int8_activation::symmetric;
    else if constexpr (requires { { A::template value<double>(0.0) } -> std::same_as<double>; }) return int8_activation::table;
    else {
        static_assert(requires { A::template value<double>(0.0); },
                      "kiln::quantize: this activation has no int8 form (kiln's are identity, relu, softmax and element-wise ones with value())");
        return int8_activation::none;
    }
}

/// What the activation needs beyond the requantization: a table, or softmax's exponent step.
template <int8_activation Form>
struct activation_table {
    friend constexpr bool operator==(const activation_table&, const activation_table&) = default;
};
template <>
struct activation_table<int8_activation::symmetric> {
    std::uint8_t v[128];  ///< v[q]: the output for the int8 pre-activation q >= 0, 0..128 (128 reads as 127; its mirror -128)
    friend constexpr bool operator==(const activation_table&, const activation_table&) = default;
};
template <>
struct activation_table<int8_activation::table> {
    std::int8_t v[256];  ///< v[q + 128]: the output for the int8 pre-activation q
    friend constexpr bool operator==(const activation_table&, const activation_table&) = default;
};
template <>
struct activation_table<int8_activation::softmax> {
    std::uint32_t exp_step;  ///< round(2^16 log2(e) * logit scale), at most 2^23
    friend constexpr bool operator==(const activation_table&, const activation_table&) = default;
};

/// round(2^15 2^(-j/16)) for j = 0..16: the knots of softmax's piecewise-linear 2^-x.
inline constexpr std::uint16_t exp2_knots[17] = {32768, 31379, 30048, 28774, 27554, 26386, 25268, 24196, 23170,
                                                 22188, 21247, 20347, 19484, 18658, 17867, 17109, 16384};

/// E(d), about 2^15 exp(-d * logit scale), from exp_step k: t = d k = 2^16 n + f, 2^-(f / 2^16)
/// interpolated linearly between the knots 2^(-j/16) at f's top four bits, then halved n times,
/// rounding; 0 from n = 16 (below 2^-1 at Q15). E(0) = 2^15.
constexpr std::uint32_t softmax_exp(std::uint32_t d, std::uint32_t k) noexcept {
    const std::uint32_t t = d * k;  // d <= 255 and k <= 2^23: below 2^31
    const std::uint32_t n = t >> 16;
    if (n >= 16) return 0;
    const std::uint32_t j = (t >> 12) & 15, r = t & 4095;
    const std::uint32_t hi = exp2_knots[j], lo = exp2_knots[j + 1];
    const std::uint32_t v = hi - (((hi - lo) * r + 2048) >> 12);
    return (v + ((1u << n) >> 1)) >> n;
}

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
    std::int32_t accumulator_start[Out];    ///< bias(o) - input.zero_point * sum_i w(o, i)
    std::int32_t multiplier[Out];           ///< Q0.31: input.scale * weight scale (quantize_result::weight_scale) / pre_activation.scale
    std::int8_t shift[Out];                 ///< ... = multiplier[o] * 2^(shift[o] - 31)
    quantization<T> input;                  ///< the previous layer's output (or the network's input)
    quantization<T> pre_activation;         ///< what the accumulator is requantized to (= output without a table)
    quantization<T> output;
    std::int8_t low, high;                  ///< the requantized value's clamp (relu: low = the zero point; a symmetric table: -127, never below)
    [[no_unique_address]] detail::activation_table<form> table;

    /// The int8 weight from input i to output o.
    constexpr std::int8_t weight(std::size_t o, std::size_t i) const noexcept { return w[o][i]; }
    /// TFLite's int32 bias of output o (scale input.scale * weight scale, zero point 0),
    /// exactly, from the folded start value: inference never reads it, so it is not stored.
    constexpr std::int32_t bias(std::size_t o) const noexcept {
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < In; ++i) sum += w[o][i];
        return static_cast<std::int32_t>(accumulator_start[o] + std::int64_t{input.zero_point} * sum);
    }
    friend constexpr bool operator==(const quantized_dense_params&, const quantized_dense_params&) = default;
};

namespace detail {
/// The integer softmax of the header comment, in place.
template <std::size_t W>
constexpr void softmax_int8(std::uint32_t k, std::int8_t (&y)[W]) {
    std::int32_t m = y[0];
    for (std::size_t i = 1; i < W; ++i) m = y[i] > m ? y[i] : m;
    std::uint32_t e[W], s = 0;
    for (std::size_t i = 0; i < W; ++i) s += e[i] = softmax_exp(static_cast<std::uint32_t>(m - y[i]), k);
    for (std::size_t i = 0; i < W; ++i) {
        const std::uint32_t p = ((e[i] << 8) + s / 2) / s;  // s >= E(0) = 2^15
        const std::int32_t v = static_cast<std::int32_t>(p) - 128;
        y[i] = static_cast<std::int8_t>(v > 127 ? 127 : v);
    }
}

/// Products int8_dot takes a turn: four, or one on ARMv6-M (Cortex-M0/M0+), where ldrsb has no
/// immediate offset, so one index register serves both loads and unrolling only adds
/// instructions that materialise offsets.
#if defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB == 1
inline constexpr std::size_t int8_dot_turn = 1;
#else
inline constexpr std::size_t int8_dot_turn = 4;
#endif

/// sum_i w[i] x[i] over n (a multiple of int8_dot_turn) at run time on cores without a vector
/// unit: one small loop that every layer shares, out of line so that it has the registers to
/// itself (integer sums: any order gives the same value).
[[gnu::noinline]] inline std::int32_t int8_dot(const std::int8_t* w, const std::int8_t* x, std::size_t n) noexcept {
    std::int32_t s = 0;
    if constexpr (int8_dot_turn == 1) {
        for (std::size_t i = 0; i < n; ++i) s += w[i] * x[i];
    } else {
        for (const std::int8_t* end = w + n; w != end; w += 4, x += 4) s = s + w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3] * x[3];
    }
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
        using P = quantized_dense_params<T, In, Out, Activation>;
        // The clamp [low, high] taken before the zero point is added, so v + zp cannot overflow;
        // a symmetric table covers [-127, 127] only, whatever low says (a hand-edited -128).
        constexpr std::int32_t lowest = P::form == int8_activation::symmetric ? -127 : -128;
        const std::int32_t zp = p.pre_activation.zero_point, low = (p.low < lowest ? lowest : p.low) - zp, high = p.high - zp;
        for (std::size_t o = 0; o < Out; ++o) {
            const std::int8_t(&w)[In] = p.w[o];
            std::int32_t acc = p.accumulator_start[o];
            if constexpr (folds<In> && vector_unit) {  // cheap inside the compiler, vectorised at run time
                acc += (... + (w[I] * x[I]));
            } else if constexpr (folds<In>) {  // without a vector unit an unrolled fold is only long code
                if (__builtin_is_constant_evaluated()) {
                    acc += (... + (w[I] * x[I]));
                } else {
                    constexpr std::size_t whole = In - In % int8_dot_turn;
                    acc += int8_dot(w, x, whole);
                    for (std::size_t i = whole; i < In; ++i) acc += w[i] * x[i];
                }
            } else {
                for (std::size_t i = 0; i < In; ++i) acc += w[i] * x[i];
            }
            std::int32_t v = requantize(acc, p.multiplier[o], p.shift[o]);
            v = (v < low ? low : (v > high ? high : v)) + zp;
            if constexpr (P::form == int8_activation::symmetric) {
                v = v < 0 ? -std::int32_t{p.table.v[-v]} : std::int32_t{p.table.v[v]};
                v = v > 127 ? 127 : v;
            } else if constexpr (P::form == int8_activation::table) {
                v = p.table.v[v + 128];
            }
            y[o] = static_cast<std::int8_t>(v);
        }
        if constexpr (P::form == int8_activation::softmax) softmax_int8(p.table.exp_step, y);
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

/// int8 buffers for one pass: block K + 1 layer K's output, except the last layer's (the
/// caller's y); block 0 (the input) only in a one-layer network. The blocks not needed are empty bases.
template <std::size_t K, std::size_t W>
struct int8_block {
    std::int8_t v[W];
};
template <std::size_t K>
struct no_int8_block {};
template <class Seq, std::size_t Depth, std::size_t... W>
struct int8_blocks;
template <std::size_t... K, std::size_t Depth, std::size_t... W>
struct int8_blocks<std::index_sequence<K...>, Depth, W...>
    : std::conditional_t<(Depth == 1 ? K == 0 : K != 0 && K != Depth), int8_block<K, W>, no_int8_block<K>>... {};

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
        // The first layer reads x and the last writes y, except in a one-layer network, whose
        // input is copied first (y may be x).
        detail::int8_blocks<std::make_index_sequence<depth + 1>, depth, inputs, L::outputs...> v;
        if constexpr (depth == 1) {
            auto& in = static_cast<detail::int8_block<0, inputs>&>(v).v;
            for (std::size_t i = 0; i < inputs; ++i) in[i] = x[i];
            forward_all(v, in, y, std::index_sequence_for<L...>{});
        } else {
            forward_all(v, x, y, std::index_sequence_for<L...>{});
        }
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
    /// Layer K's input (x for the first) and output (y for the last); the others in v.
    template <std::size_t K, std::size_t W, class V>
    static constexpr const std::int8_t (&input_of(V& v, const std::int8_t (&x)[inputs]))[W] {
        if constexpr (K == 0) return x;
        else return static_cast<detail::int8_block<K, W>&>(v).v;
    }
    template <std::size_t K, std::size_t W, class V>
    static constexpr std::int8_t (&output_of(V& v, std::int8_t (&y)[outputs]))[W] {
        if constexpr (K + 1 == depth) return y;
        else return static_cast<detail::int8_block<K + 1, W>&>(v).v;
    }
    template <class V, std::size_t... K>
    constexpr void forward_all(V& v, const std::int8_t (&x)[inputs], std::int8_t (&y)[outputs], std::index_sequence<K...>) const {
        (detail::int8_dense<L::inputs, L::outputs, typename L::activation, std::make_index_sequence<L::inputs>>::forward(
             detail::slot<K>(layers), input_of<K, L::inputs>(v, x), output_of<K, L::outputs>(v, y)),
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

namespace detail {
/// Layer K's per-output weight scales.
template <class T, std::size_t Out>
struct weight_scales {
    T v[Out];
    friend constexpr bool operator==(const weight_scales&, const weight_scales&) = default;
};
template <class T, class Seq, class... L>
struct weight_scale_pack;
template <class T, std::size_t... K, class... L>
struct weight_scale_pack<T, std::index_sequence<K...>, L...> : layer_slot<K, weight_scales<T, L::outputs>>... {
    friend constexpr bool operator==(const weight_scale_pack&, const weight_scale_pack&) = default;
};
template <class QNet>
struct weight_scales_of;
template <class T, class... L>
struct weight_scales_of<quantized_network<T, L...>> {
    using type = weight_scale_pack<T, std::index_sequence_for<L...>, L...>;
};
} // namespace detail

/// What quantize() returns: the int8 network, a status, where a problem was found, and the
/// weight scales (real weight = int8 weight * scale), which int8 inference never reads: the
/// network holds only what inference and its float predict() read, so that a baked network
/// is nothing but that in flash.
template <class QNet>
struct quantize_result {
    QNet network;
    quantize_status status = quantize_status::ok;
    std::size_t layer = 0;  ///< for weight_not_finite and calibration_output_not_finite
    std::size_t row = 0;    ///< for calibration_input_not_finite
    typename detail::weight_scales_of<QNet>::type weight_scales{};
    constexpr explicit operator bool() const noexcept { return status == quantize_status::ok; }
    /// Layer K's weight scale of output o: real weight(o, i) = network.layer<K>().weight(o, i) * it.
    template <std::size_t K>
    constexpr typename QNet::value_type weight_scale(std::size_t o) const noexcept { return detail::slot<K>(weight_scales).v[o]; }
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

/// The symmetric int8 quantization of a range (zero point 0, [-127, 127]: scale = max |v| / 127),
/// for the pre-activation of a point-symmetric activation, whose table then covers q >= 0 only.
template <class T>
constexpr quantization<T> symmetric_quantization_of(const value_range& r) noexcept {
    const double m = -r.lo > r.hi ? -r.lo : r.hi;
    return {static_cast<T>(m > 0 ? m / 127.0 : 1.0), 0};
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

    /// Activation A at int8 pre-activation q of layer r, rounded once to its output quantization.
    template <class A, class R>
    static constexpr std::int64_t output_at(const R& r, int q) {
        const double y = A::template value<double>(double(q - r.pre_activation.zero_point) * double(r.pre_activation.scale)) /
                         double(r.output.scale);
        return round_half_away(y < -1e6 ? -1e6 : (y > 1e6 ? 1e6 : y)) + r.output.zero_point;
    }

    /// Layer K quantized, its input quantized with `in`.
    template <std::size_t K>
    static constexpr void quantize_layer(const Net& net, quantize_result<quantized_network_for<Net>>& q, quantization<T>& in,
                                         const value_range& z, const value_range& a) {
        using Lk = typename Net::template layer_type<K>;
        using A = typename Lk::activation;
        constexpr std::size_t In = Lk::inputs, Out = Lk::outputs;
        const auto& p = net.template layer<K>();
        auto& r = q.network.template layer<K>();
        auto& scales = detail::slot<K>(q.weight_scales).v;
        using R = std::remove_cvref_t<decltype(r)>;
        constexpr auto fixed = fixed_output_of<A>();

        r.input = in;
        if constexpr (R::form == int8_activation::none || R::form == int8_activation::relu) {
            r.output = r.pre_activation = quantization_of<T>(a);
        } else {
            r.pre_activation = R::form == int8_activation::symmetric ? symmetric_quantization_of<T>(z) : quantization_of<T>(z);
            r.output = fixed.scale > 0 ? quantization<T>{static_cast<T>(fixed.scale), fixed.zero_point} : quantization_of<T>(a);
        }
        r.low = R::form == int8_activation::relu        ? static_cast<std::int8_t>(r.output.zero_point)
              : R::form == int8_activation::symmetric ? std::int8_t{-127}
                                                      : std::int8_t{-128};
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
            scales[o] = static_cast<T>(m > 0 ? m / 127.0 : 1.0);
            const double s_w = static_cast<double>(scales[o]);
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
            r.accumulator_start[o] = static_cast<std::int32_t>(round_half_away(b) - std::int64_t{in.zero_point} * sum);
            const auto qm = quantize_multiplier(s_in * s_w / s_pre);
            r.multiplier[o] = qm.multiplier;
            r.shift[o] = static_cast<std::int8_t>(qm.shift);
        }

        if constexpr (R::form == int8_activation::symmetric) {
            for (int q = 0; q < 128; ++q) r.table.v[q] = clamp_to<std::uint8_t, std::int64_t>(output_at<A>(r, q), 0, 128);
        } else if constexpr (R::form == int8_activation::table) {
            for (int q = -128; q < 128; ++q) r.table.v[q + 128] = clamp_to<std::int8_t, std::int64_t>(output_at<A>(r, q), -128, 127);
        } else if constexpr (R::form == int8_activation::softmax) {
            constexpr double log2e = 1.4426950408889634;
            const double k = s_pre * log2e * 65536.0;
            r.table.exp_step = static_cast<std::uint32_t>(round_half_away(k < double(1 << 23) ? k : double(1 << 23)));
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
    static constexpr void quantize_all(const Net& net, quantize_result<quantized_network_for<Net>>& q, quantization<T> in,
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
    q::quantize_all(net, result, detail::quantization_of<T>(input), z, a, std::index_sequence_for<L...>{});
    return result;
}

} // namespace kiln
