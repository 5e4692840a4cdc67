// kiln/layer.hpp — the fully connected layer: its shape as a type, its parameters, its passes.
//
// `dense<In, Out, Activation, Bias>` is only a description; `dense<...>::params<T>` holds
// the numbers: weights in one plain array, row o holding the In weights of output o
// (w[o * In + i]), and Out biases unless the layer has none. Plain arrays because the
// constant evaluator reaches their elements several times more cheaply than through
// std::array::operator[]; the inner sums are fold expressions over the input index,
// which keep the loop's left-to-right order and cost one evaluation step for the whole sum.
#pragma once

#include <concepts>
#include <cstddef>
#include <utility>

#include "activation.hpp"

namespace kiln {

/// Whether a layer adds a bias to each output: kiln::with_bias (the default) or kiln::no_bias.
struct bias_option {
    bool enabled;
};
inline constexpr bias_option with_bias{true};
inline constexpr bias_option no_bias{false};

/// The parameters of a dense layer of T: weights w[o * In + i] and biases b[o].
template <class T, std::size_t In, std::size_t Out, bool Bias>
struct dense_params {
    using value_type = T;
    static constexpr std::size_t inputs = In, outputs = Out;
    static constexpr bool has_bias = true;
    T w[Out * In];
    T b[Out];

    /// The weight from input i to output o.
    constexpr T& weight(std::size_t o, std::size_t i) noexcept { return w[o * In + i]; }
    constexpr const T& weight(std::size_t o, std::size_t i) const noexcept { return w[o * In + i]; }
    friend constexpr bool operator==(const dense_params&, const dense_params&) = default;
};
template <class T, std::size_t In, std::size_t Out>
struct dense_params<T, In, Out, false> {
    using value_type = T;
    static constexpr std::size_t inputs = In, outputs = Out;
    static constexpr bool has_bias = false;
    T w[Out * In];

    constexpr T& weight(std::size_t o, std::size_t i) noexcept { return w[o * In + i]; }
    constexpr const T& weight(std::size_t o, std::size_t i) const noexcept { return w[o * In + i]; }
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
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t o = 0; o < Out; ++o)
                if constexpr (Bias) out[r][o] = (... + (p.w[o * In + I] * x[r][I])) + p.b[o];
                else out[r][o] = (... + (p.w[o * In + I] * x[r][I]));
        Activation::forward(out, rows);
    }

    /// Given g = dL/dz for the first `rows` rows (z the pre-activation), adds dL/dW and
    /// dL/db into `grad`.
    template <class T, std::size_t R>
    static constexpr void accumulate(const T (&x)[R][In], const T (&g)[R][Out], dense_params<T, In, Out, Bias>& grad,
                                     std::size_t rows) {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t o = 0; o < Out; ++o)
                if constexpr (Bias) ((grad.w[o * In + I] += g[r][o] * x[r][I]), ...), grad.b[o] += g[r][o];
                else ((grad.w[o * In + I] += g[r][o] * x[r][I]), ...);
    }

    /// dx = dL/dx (the previous layer's dL/da) from g = dL/dz, for the first `rows` rows.
    template <class T, std::size_t R>
    static constexpr void propagate(const dense_params<T, In, Out, Bias>& p, const T (&g)[R][Out], T (&dx)[R][In],
                                    std::size_t rows) {
        for (std::size_t r = 0; r < rows; ++r) {
            ((dx[r][I] = T(0)), ...);
            for (std::size_t o = 0; o < Out; ++o) ((dx[r][I] += p.w[o * In + I] * g[r][o]), ...);
        }
    }
};
} // namespace detail

/// A fully connected layer from In inputs to Out outputs, then Activation.
/// forward(), accumulate() and propagate() are the layer's passes over rows of a batch.
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
