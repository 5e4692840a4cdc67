// kiln/loss.hpp — loss functions: a batch's loss and its gradient with respect to the network's outputs.
//
// A loss is a small aggregate of options (`kiln::binary_cross_entropy{.epsilon = 1e-7}`)
// with its per-value formulas, value<W>(a, y) and gradient<W>(a, y) = dL/da (W the row
// width), and a `reduction`:
// `mean` (every loss's default, as in Keras and PyTorch) averages the rows' gradients of a
// batch, `sum` adds them (the seed's full-batch rule). A loss that names `fused_with` (an output
// activation) gives dL/dz through that activation directly, which is cheaper and
// numerically better: a - y for softmax + cross-entropy and for sigmoid + binary
// cross-entropy.
#pragma once

#include <concepts>
#include <cstddef>
#include <utility>

#include "activation.hpp"
#include "math.hpp"
#include "unroll.hpp"

namespace kiln {

/// How a batch's per-row gradients combine.
enum class reduction { sum, mean };

/// Squared error. With reduction::mean (the default, as for every kiln loss) a row's loss is
/// mean_o (a_o - y_o)^2 (dL/da = 2 (a - y) / W) and a batch averages its rows: Keras's "mse".
/// With reduction::sum (the seed's rule) it is 1/2 sum_o (a_o - y_o)^2, so dL/da = a - y,
/// and a batch adds its rows.
struct squared_error {
    kiln::reduction reduction = kiln::reduction::mean;

    template <std::size_t W, std::floating_point T>
    constexpr T value(T a, T y) const {
        return reduction == kiln::reduction::sum ? T(0.5) * (a - y) * (a - y) : (a - y) * (a - y) / T(W);
    }
    template <std::size_t W, std::floating_point T>
    constexpr T gradient(T a, T y) const {
        return reduction == kiln::reduction::sum ? a - y : T(2) * (a - y) / T(W);
    }
};

/// Binary cross-entropy -(y log p + (1 - y) log(1 - p)) per output. p is clipped to
/// [epsilon, 1 - epsilon] (Keras's 1e-7 by default), so a confident wrong answer costs
/// a large finite loss (-log(1e-7) = 16.1 for p = 1, y = 0), never inf or NaN; the
/// gradient is that of the clipped loss (0 where p was clipped). After a sigmoid output
/// layer it fuses to dL/dz = p - y.
struct binary_cross_entropy {
    double epsilon = 1e-7;
    kiln::reduction reduction = kiln::reduction::mean;
    using fused_with = kiln::sigmoid;

    template <std::size_t W, std::floating_point T>
    constexpr T value(T a, T y) const {
        const T lo = T(epsilon), hi = T(1) - T(epsilon), p = a < lo ? lo : (a > hi ? hi : a);
        return -(y * kiln::math::log(p) + (T(1) - y) * kiln::math::log(T(1) - p));
    }
    template <std::size_t W, std::floating_point T>
    constexpr T gradient(T a, T y) const {
        return (a < T(epsilon) || a > T(1) - T(epsilon)) ? T(0) : (a - y) / (a * (T(1) - a));
    }
    template <std::size_t W, std::floating_point T>
    constexpr T fused_gradient(T a, T y) const { return a - y; }
};

/// Categorical cross-entropy -sum_o y_o log p_o over one-hot (or soft) targets, p clipped
/// to [epsilon, 1 - epsilon] (1e-7 by default). After softmax prefer softmax_cross_entropy.
struct categorical_cross_entropy {
    double epsilon = 1e-7;
    kiln::reduction reduction = kiln::reduction::mean;

    template <std::size_t W, std::floating_point T>
    constexpr T value(T a, T y) const {
        const T lo = T(epsilon), hi = T(1) - T(epsilon), p = a < lo ? lo : (a > hi ? hi : a);
        return y == T(0) ? T(0) : -y * kiln::math::log(p);
    }
    template <std::size_t W, std::floating_point T>
    constexpr T gradient(T a, T y) const {
        return (a < T(epsilon) || a > T(1) - T(epsilon)) ? T(0) : -y / a;
    }
};

/// Softmax and categorical cross-entropy as one step: needs a softmax output layer, whose
/// forward pass subtracts each row's maximum (no overflow for large logits). dL/dz = a - y
/// for targets that sum to 1; the value clips p to [epsilon, 1 - epsilon].
struct softmax_cross_entropy {
    double epsilon = 1e-7;
    kiln::reduction reduction = kiln::reduction::mean;
    using fused_with = kiln::softmax;

    template <std::size_t W, std::floating_point T>
    constexpr T value(T a, T y) const { return categorical_cross_entropy{epsilon}.value<W>(a, y); }
    template <std::size_t W, std::floating_point T>
    constexpr T fused_gradient(T a, T y) const { return a - y; }
};

// Block passes of a loss over the first `rows` rows of T[R][W] blocks, one fold per row.
// Free functions, not a base class: a base would leave `{.epsilon = 1e-7}` with a member
// that designated initialisers cannot name (and -Wextra warns about).

/// The sum over the rows of each row's loss.
template <class Loss, class T, std::size_t R, std::size_t W, std::size_t... J>
constexpr T total_loss(const Loss& loss, const T (&a)[R][W], const T (&y)[R][W], std::size_t rows,
                       std::index_sequence<J...> = {}) {
    if constexpr (sizeof...(J) != W) {
        return total_loss(loss, a, y, rows, std::make_index_sequence<W>{});
    } else {
        T s = T(0);
        if constexpr (detail::folds<W>)
            for (std::size_t r = 0; r < rows; ++r) s = (s + ... + loss.template value<W>(a[r][J], y[r][J]));
        else
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t j = 0; j < W; ++j) s += loss.template value<W>(a[r][j], y[r][j]);
        return s;
    }
}

/// g = dL_row/da for each row.
template <class Loss, class T, std::size_t R, std::size_t W, std::size_t... J>
constexpr void loss_gradients(const Loss& loss, const T (&a)[R][W], const T (&y)[R][W], T (&g)[R][W],
                              std::size_t rows, std::index_sequence<J...> = {}) {
    if constexpr (sizeof...(J) != W) {
        loss_gradients(loss, a, y, g, rows, std::make_index_sequence<W>{});
    } else {
        if constexpr (detail::folds<W>)
            for (std::size_t r = 0; r < rows; ++r) ((g[r][J] = loss.template gradient<W>(a[r][J], y[r][J])), ...);
        else
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t j = 0; j < W; ++j) g[r][j] = loss.template gradient<W>(a[r][j], y[r][j]);
    }
}

namespace detail {
template <class L, class A>
concept fuses = requires { typename L::fused_with; } && std::same_as<typename L::fused_with, A>;
template <class L>
concept has_plain_gradient = requires(const L& l) { l.template gradient<1>(1.0, 1.0); };

/// dL/dz of the output layer in one pass: fused when the loss knows the activation, else
/// dL/da times the activation's derivative (element-wise) or its Jacobian (softmax). A
/// caller that holds 0..W-1 as a pack passes it, which saves the call that makes one.
template <class Activation, class Loss, class T, std::size_t R, std::size_t W, std::size_t... J>
constexpr void output_gradient(const Loss& loss, const T (&a)[R][W], const T (&y)[R][W], T (&g)[R][W],
                               std::size_t rows, std::index_sequence<J...> = {}) {
    if constexpr (sizeof...(J) != W) {
        output_gradient<Activation>(loss, a, y, g, rows, std::make_index_sequence<W>{});
    } else if constexpr (fuses<Loss, Activation> && folds<W>) {
        for (std::size_t r = 0; r < rows; ++r) ((g[r][J] = loss.template fused_gradient<W>(a[r][J], y[r][J])), ...);
    } else if constexpr (fuses<Loss, Activation>) {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < W; ++j) g[r][j] = loss.template fused_gradient<W>(a[r][j], y[r][j]);
    } else if constexpr (elementwise_activation<Activation> && folds<W>) {
        for (std::size_t r = 0; r < rows; ++r)
            ((g[r][J] = loss.template gradient<W>(a[r][J], y[r][J]) * Activation::derivative(a[r][J])), ...);
    } else if constexpr (elementwise_activation<Activation>) {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < W; ++j)
                g[r][j] = loss.template gradient<W>(a[r][j], y[r][j]) * Activation::derivative(a[r][j]);
    } else {
        kiln::loss_gradients(loss, a, y, g, rows, std::index_sequence<J...>{});
        Activation::backward(a, g, rows);
    }
}
} // namespace detail

/// A loss usable after an output layer with activation A: it either has a plain gradient
/// (chained through A's derivative) or is fused with exactly A.
template <class L, class A>
concept loss_for = requires(const L& l) { l.reduction; } && (detail::has_plain_gradient<L> || detail::fuses<L, A>);

} // namespace kiln
