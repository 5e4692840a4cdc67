// kiln/layer.hpp — the fully connected layer: its shape as a type, its parameters, its passes.
//
// `dense<In, Out, Activation, Bias>` is only a description; `dense<...>::params<T>` holds
// the numbers: weights in one plain array, input-major (w[i * Out + o]), and Out biases
// unless the layer has none. Plain arrays because the
// constant evaluator reaches their elements several times more cheaply than through
// std::array::operator[]; the inner sums are fold expressions over the input index,
// which keep the loop's left-to-right order and cost one evaluation step for the whole sum.
#pragma once

#include <concepts>
#include <cstddef>
#include <utility>

#include "activation.hpp"
#include "unroll.hpp"

namespace kiln {

/// Whether a layer adds a bias to each output: kiln::with_bias (the default) or kiln::no_bias.
struct bias_option {
    bool enabled;
};
inline constexpr bias_option with_bias{true};
inline constexpr bias_option no_bias{false};

/// The parameters of a dense layer of T: weights stored input-major, w[i * Out + o] the
/// weight from input i to output o (so the Out weights one input feeds are contiguous, and
/// a run-time kernel updates all outputs of one input side by side), and biases b[o].
/// Reach them through weight(o, i) and bias(o); `w` and `b` are public for baked literals.
template <class T, std::size_t In, std::size_t Out, bool Bias>
struct dense_params {
    using value_type = T;
    static constexpr std::size_t inputs = In, outputs = Out;
    static constexpr bool has_bias = true;
    static constexpr std::size_t parameter_count = In * Out + Out;
    T w[In * Out];
    T b[Out];

    /// The weight from input i to output o.
    constexpr T& weight(std::size_t o, std::size_t i) noexcept { return w[i * Out + o]; }
    constexpr const T& weight(std::size_t o, std::size_t i) const noexcept { return w[i * Out + o]; }
    /// The bias of output o.
    constexpr T& bias(std::size_t o) noexcept { return b[o]; }
    constexpr const T& bias(std::size_t o) const noexcept { return b[o]; }
    friend constexpr bool operator==(const dense_params&, const dense_params&) = default;
};
template <class T, std::size_t In, std::size_t Out>
struct dense_params<T, In, Out, false> {
    using value_type = T;
    static constexpr std::size_t inputs = In, outputs = Out;
    static constexpr bool has_bias = false;
    static constexpr std::size_t parameter_count = In * Out;
    T w[In * Out];

    constexpr T& weight(std::size_t o, std::size_t i) noexcept { return w[i * Out + o]; }
    constexpr const T& weight(std::size_t o, std::size_t i) const noexcept { return w[i * Out + o]; }
    /// Always 0: a layer without biases.
    constexpr T bias(std::size_t) const noexcept { return T(0); }
    friend constexpr bool operator==(const dense_params&, const dense_params&) = default;
};

namespace detail {
// The kernels take the input index pack I... at class level, so the fold expressions can
// use it without a forwarding call. Rows are blocks T[R][W] indexed directly; loop bodies
// are single expressions (constant evaluators charge per statement and, on GCC, about
// twice as much for an element reached by pointer arithmetic as for an indexed one).
template <std::size_t In, std::size_t Out, class Activation, bool Bias, class Seq>
struct dense_kernels;
template <std::size_t In, std::size_t Out, class Activation, bool Bias, std::size_t... I>
struct dense_kernels<In, Out, Activation, Bias, std::index_sequence<I...>> {
    /// out[r] = Activation(W x[r] + b) for the first `rows` rows.
    template <class T, std::size_t R>
    static constexpr void forward(const dense_params<T, In, Out, Bias>& p, const T (&x)[R][In], T (&out)[R][Out],
                                  std::size_t rows) {
        if constexpr (detail::folds<In> && Bias) {
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t o = 0; o < Out; ++o) out[r][o] = (... + (p.w[I * Out + o] * x[r][I])) + p.b[o];
        } else if constexpr (detail::folds<In>) {
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t o = 0; o < Out; ++o) out[r][o] = (... + (p.w[I * Out + o] * x[r][I]));
        } else {  // the same sums in the same order, as loops (see unroll.hpp)
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t o = 0; o < Out; ++o) {
                    T z = p.w[o] * x[r][0];
                    for (std::size_t i = 1; i < In; ++i) z += p.w[i * Out + o] * x[r][i];
                    if constexpr (Bias) out[r][o] = z + p.b[o];
                    else out[r][o] = z;
                }
        }
        Activation::forward(out, rows);
    }

    // The backward passes below update In independent values per output. For narrow
    // layers they are unrolled folds (cheapest for the constant evaluator); for wide ones
    // plain loops over the inputs, which compilers vectorise along the row (a fold of 64
    // statements inside the output loop invites GCC to vectorise across outputs instead,
    // with transposes). Each value gets the same operations in the same order either way.
    static constexpr bool unrolled = In <= 16;

    /// Given g = dL/dz for the first `rows` rows (z the pre-activation), adds dL/dW and
    /// dL/db into `grad`.
    template <class T, std::size_t R>
    static constexpr void accumulate(const T (&x)[R][In], const T (&g)[R][Out], dense_params<T, In, Out, Bias>& grad,
                                     std::size_t rows) {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t o = 0; o < Out; ++o) {
                if constexpr (unrolled) ((grad.w[I * Out + o] += g[r][o] * x[r][I]), ...);
                else for (std::size_t i = 0; i < In; ++i) grad.w[i * Out + o] += g[r][o] * x[r][i];
                if constexpr (Bias) grad.b[o] += g[r][o];
            }
    }

    /// Plain gradient descent straight from the rows: p -= lr * dL/dp with dL/dp summed over
    /// the rows in order. The same bits as accumulate() into a zeroed gradient followed by
    /// kiln::sgd's step, without the gradient buffer's two extra passes over the weights.
    template <class T, std::size_t R>
    static constexpr void descend(dense_params<T, In, Out, Bias>& p, const T (&x)[R][In], const T (&g)[R][Out],
                                  std::size_t rows, T lr) {
        if constexpr (unrolled) {
            if (rows == 1) {
                for (std::size_t o = 0; o < Out; ++o) {
                    ((p.w[I * Out + o] -= lr * (g[0][o] * x[0][I])), ...);
                    if constexpr (Bias) p.b[o] -= lr * g[0][o];
                }
                return;
            }
        } else if (rows == 1) {
            // Local copies, which the weights cannot alias: with them GCC vectorises the loop
            // at -O2, where it adds no run-time overlap check (measured: online training
            // 1.36x the hand-written loop instead of 0.86-1.18x, depending on code layout).
            const T xr[In] = {x[0][I]...};
            for (std::size_t o = 0; o < Out; ++o) {
                const T go = g[0][o];
                for (std::size_t i = 0; i < In; ++i) p.w[i * Out + o] -= lr * (go * xr[i]);
                if constexpr (Bias) p.b[o] -= lr * go;
            }
            return;
        }
        for (std::size_t o = 0; o < Out; ++o) {
            // The weights' sums, then the bias's, sum_r g[r][o] (used only with a bias).
            T s[In + 1] = {(g[0][o] * x[0][I])..., g[0][o]};
            if constexpr (unrolled) {
                if constexpr (Bias)
                    for (std::size_t r = 1; r < rows; ++r) ((s[I] += g[r][o] * x[r][I]), ..., (s[In] += g[r][o]));
                else
                    for (std::size_t r = 1; r < rows; ++r) ((s[I] += g[r][o] * x[r][I]), ...);
                ((p.w[I * Out + o] -= lr * s[I]), ...);
            } else {
                for (std::size_t r = 1; r < rows; ++r) {
                    for (std::size_t i = 0; i < In; ++i) s[i] += g[r][o] * x[r][i];
                    if constexpr (Bias) s[In] += g[r][o];
                }
                for (std::size_t i = 0; i < In; ++i) p.w[i * Out + o] -= lr * s[i];
            }
            if constexpr (Bias) p.b[o] -= lr * s[In];
        }
    }

    /// dx = dL/dx (the previous layer's dL/da) from g = dL/dz, for the first `rows` rows.
    template <class T, std::size_t R>
    static constexpr void propagate(const dense_params<T, In, Out, Bias>& p, const T (&g)[R][Out], T (&dx)[R][In],
                                    std::size_t rows) {
        for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t i = 0; i < In; ++i) dx[r][i] = T(0);
            for (std::size_t o = 0; o < Out; ++o)
                if constexpr (unrolled) ((dx[r][I] += p.w[I * Out + o] * g[r][o]), ...);
                else for (std::size_t i = 0; i < In; ++i) dx[r][i] += p.w[i * Out + o] * g[r][o];
        }
    }
};
} // namespace detail

/// A fully connected layer from In inputs to Out outputs, then Activation.
/// forward(), accumulate(), propagate() and descend() are the layer's passes over rows of a batch.
template <std::size_t In, std::size_t Out, class Activation = identity, bias_option Bias = with_bias>
struct dense : detail::dense_kernels<In, Out, Activation, Bias.enabled, std::make_index_sequence<In>> {
    static_assert(In > 0 && Out > 0, "kiln::dense: a layer needs at least one input and one output");
    static constexpr std::size_t inputs = In;
    static constexpr std::size_t outputs = Out;
    static constexpr bool has_bias = Bias.enabled;
    using activation = Activation;
    template <class T>
    using params = dense_params<T, In, Out, Bias.enabled>;
};

/// A type describing a layer kiln can chain: sizes, an activation and parameters of T.
template <class L>
concept layer = requires {
    { L::inputs } -> std::convertible_to<std::size_t>;
    { L::outputs } -> std::convertible_to<std::size_t>;
    typename L::activation;
    typename L::template params<double>;
};

} // namespace kiln
