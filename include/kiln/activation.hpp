// kiln/activation.hpp — activation functions: their values and derivatives, element-wise and softmax.
//
// Every activation is an empty type used as a template argument of a layer
// (`kiln::dense<4, 3, kiln::relu>`). Each offers
//   value(z)                 the scalar function (element-wise activations),
//   derivative(a)            dA/dz written in terms of the output a = value(z),
//   forward(a, rows)         in place over the first `rows` rows (1 <= rows <= R) of a T[R][W] block,
//   backward(a, g, rows)     g <- g * dA/dz (a Jacobian-vector product for softmax).
// Blocks are 2-D plain arrays indexed directly: GCC's constant evaluator charges about
// twice as much for an element reached through pointer arithmetic. Derivatives are
// written from the output alone, so no pre-activation has to be stored.
#pragma once

#include <concepts>
#include <cstddef>
#include <utility>

#include "math.hpp"
#include "simd.hpp"
#include "unroll.hpp"

namespace kiln {

namespace detail {
/// An activation applied to each value on its own (all but softmax).
template <class A>
concept elementwise_activation = requires { A::value(1.0); A::derivative(1.0); };
} // namespace detail

/// The block passes of an element-wise activation, from its value() and derivative():
/// one fold over a row's W values per row.
template <class Derived>
struct elementwise {
    template <class T, std::size_t R, std::size_t W>
    static constexpr void forward(T (&a)[R][W], std::size_t rows) {
        forward_rows(a, rows, std::make_index_sequence<W>{});
    }
    template <class T, std::size_t R, std::size_t W>
    static constexpr void backward(const T (&a)[R][W], T (&g)[R][W], std::size_t rows) {
        backward_rows(a, g, rows, std::make_index_sequence<W>{});
    }

private:
    // Inside the compiler a fold per row (one evaluation step); at run time a loop, which
    // compilers vectorise (the same operations either way).
    template <class T, std::size_t R, std::size_t W, std::size_t... J>
    static constexpr void forward_rows(T (&a)[R][W], std::size_t rows, std::index_sequence<J...>) {
        if constexpr (detail::folds<W>) {
            if (__builtin_is_constant_evaluated()) {
                for (std::size_t r = 0; r < rows; ++r) ((a[r][J] = Derived::value(a[r][J])), ...);
                return;
            }
        }
        if constexpr (detail::vector_bytes != 0 && requires(T z) { Derived::template lane_value<T, T>(z); }) {
            // An activation with exps: on lanes, which give value()'s bits (simd.hpp) in fewer
            // operations than what the compilers make of the loop below.
            for (std::size_t r = 0; r < rows; ++r)
                detail::on_lanes<W, T>(a[r], [](auto z) { return Derived::template lane_value<decltype(z), T>(z); });
            return;
        }
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < W; ++j) a[r][j] = Derived::value(a[r][j]);
    }
    template <class T, std::size_t R, std::size_t W, std::size_t... J>
    static constexpr void backward_rows(const T (&a)[R][W], T (&g)[R][W], std::size_t rows, std::index_sequence<J...>) {
        if constexpr (detail::folds<W>) {
            if (__builtin_is_constant_evaluated()) {
                for (std::size_t r = 0; r < rows; ++r) ((g[r][J] = g[r][J] * Derived::derivative(a[r][J])), ...);
                return;
            }
        }
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < W; ++j) g[r][j] = g[r][j] * Derived::derivative(a[r][j]);
    }
};

/// a = z.
struct identity : elementwise<identity> {
    template <std::floating_point T> static constexpr T value(T z) { return z; }
    template <std::floating_point T> static constexpr T derivative(T) { return T(1); }
    template <class T, std::size_t R, std::size_t W>
    static constexpr void forward(T (&)[R][W], std::size_t) {}
    template <class T, std::size_t R, std::size_t W>
    static constexpr void backward(const T (&)[R][W], T (&)[R][W], std::size_t) {}
};

/// The logistic function 1 / (1 + e^-z), exact to the accuracy of kiln::math::exp.
struct sigmoid : elementwise<sigmoid> {
    template <std::floating_point T> static constexpr T value(T z) { return T(1) / (T(1) + kiln::math::exp(-z)); }
    /// value() on a lane V of T at run time (simd.hpp): the same operations on each element.
    template <class V, class T> static V lane_value(V z) { return T(1) / (T(1) + detail::exp<V, T>(-z)); }
    template <std::floating_point T> static constexpr T derivative(T a) { return a * (T(1) - a); }
};

/// A sigmoid without exp: 0.5 + 0.5 z / (1 + |z|) (the "fast sigmoid", a rescaled
/// softsign). Max |error| against the exact sigmoid 0.0823, at |z| = 3.77; it
/// approaches 0 and 1 slowly (error 0.0098 at |z| = 50). Cheapest at compile time and on
/// an FPU-less microcontroller.
struct fast_sigmoid : elementwise<fast_sigmoid> {
    template <std::floating_point T> static constexpr T value(T z) {
        return T(0.5) + T(0.5) * z / (T(1) + (z < T(0) ? -z : z));
    }
    /// From the output: with s = 1 + |z| = 0.5 / min(a, 1 - a), dA/dz = 0.5 / s^2 = 2 min(a, 1-a)^2.
    template <std::floating_point T> static constexpr T derivative(T a) {
        const T m = a < T(0.5) ? a : T(1) - a;
        return T(2) * m * m;
    }
};

/// The piecewise-linear "hard sigmoid" clamp(0.2 z + 0.5, 0, 1) (Keras's definition).
/// Max |error| against the exact sigmoid 0.0759, at |z| = 2.5; exact 0 and 1 beyond |z| = 2.5.
struct hard_sigmoid : elementwise<hard_sigmoid> {
    template <std::floating_point T> static constexpr T value(T z) {
        const T v = T(0.2) * z + T(0.5);
        return v < T(0) ? T(0) : (v > T(1) ? T(1) : v);
    }
    /// 0.2 inside the linear part, 0 where clamped (a == 0 or a == 1).
    template <std::floating_point T> static constexpr T derivative(T a) {
        return (a > T(0) && a < T(1)) ? T(0.2) : T(0);
    }
};

/// The hyperbolic tangent (kiln::math::tanh, within 3 ulp).
struct tanh : elementwise<tanh> {
    template <std::floating_point T> static constexpr T value(T z) { return kiln::math::tanh(z); }
    template <std::floating_point T> static constexpr T derivative(T a) { return T(1) - a * a; }
};

/// max(z, 0). Its derivative at 0 is taken as 0.
struct relu : elementwise<relu> {
    template <std::floating_point T> static constexpr T value(T z) { return z > T(0) ? z : T(0); }
    template <std::floating_point T> static constexpr T derivative(T a) { return a > T(0) ? T(1) : T(0); }
};

/// z for z > 0, (Num / Den) * z otherwise: the slope is a ratio (Clang 14 takes no
/// floating-point template arguments). leaky_relu is PyTorch's 0.01; Keras's 0.3 is
/// leaky_relu_with<3, 10>.
template <unsigned Num = 1, unsigned Den = 100>
struct leaky_relu_with : elementwise<leaky_relu_with<Num, Den>> {
    static_assert(Num > 0 && Num < Den, "kiln::leaky_relu_with: the slope Num / Den must lie in (0, 1), so that the sign of the output tells the side");
    static constexpr double slope = double(Num) / double(Den);
    template <std::floating_point T> static constexpr T value(T z) { return z > T(0) ? z : T(slope) * z; }
    /// The output has the sign of z, so the side is read from a.
    template <std::floating_point T> static constexpr T derivative(T a) { return a > T(0) ? T(1) : T(slope); }
};
using leaky_relu = leaky_relu_with<>;

/// exp(z_i - max z) / sum_j exp(z_j - max z) over each row: never overflows, rows sum to 1.
/// For an output layer; paired with kiln::softmax_cross_entropy its gradient is a - y.
struct softmax {
    template <class T, std::size_t R, std::size_t W>
    static constexpr void forward(T (&a)[R][W], std::size_t rows) {
        for (std::size_t r = 0; r < (R == 1 ? 1 : rows); ++r) {  // 1 <= rows <= R
            T m = a[r][0];
            for (std::size_t i = 1; i < W; ++i) m = a[r][i] > m ? a[r][i] : m;
            T s = T(0);
            // One loop inside the compiler and where nothing vectorises (less code); elsewhere
            // the exps on lanes (simd.hpp: the same bits), apart from the (ordered) sum.
            if (__builtin_is_constant_evaluated() || kiln::math::detail::branchy_float_math) {
                for (std::size_t i = 0; i < W; ++i) s += (a[r][i] = kiln::math::exp(a[r][i] - m));
            } else {
                detail::on_lanes<W, T>(a[r], [m](auto z) { return detail::exp<decltype(z), T>(z - m); });
                for (std::size_t i = 0; i < W; ++i) s += a[r][i];
            }
            for (std::size_t i = 0; i < W; ++i) a[r][i] = a[r][i] / s;
        }
    }
    /// dL/dz_i = a_i (g_i - sum_j g_j a_j).
    template <class T, std::size_t R, std::size_t W>
    static constexpr void backward(const T (&a)[R][W], T (&g)[R][W], std::size_t rows) {
        for (std::size_t r = 0; r < rows; ++r) {
            T dot = T(0);
            for (std::size_t i = 0; i < W; ++i) dot += g[r][i] * a[r][i];
            for (std::size_t i = 0; i < W; ++i) g[r][i] = a[r][i] * (g[r][i] - dot);
        }
    }
};

} // namespace kiln
