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
#include "simd.hpp"
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
// Each pass is written twice, as the same operations in the same order:
//  - inside the compiler, folds over the input index (one evaluation step for a whole sum; see
//    the README's compile-time section) and loops whose bodies are single expressions;
//  - at run time, a block of outputs side by side (the weights one input feeds are
//    contiguous), held in simd.hpp's lanes: native vectors where there are any, so every sum
//    is vectorised without being reassociated, and the coding does not depend on what a
//    compiler's vectoriser makes of a loop at a given -O level. A batch's passes take two
//    rows (or two inputs) at a time where the registers allow (in_pairs), for twice the
//    independent chains of additions.
// Every value gets the same operations in the same order either way, so both hold the same
// bits; __builtin_is_constant_evaluated() picks the coding (std::is_constant_evaluated() would
// cost the evaluator a call per pass). The kernels take the input index pack I... at class level,
// so the folds can use it without a forwarding call.
template <std::size_t In, std::size_t Out, class Activation, bool Bias, class Seq>
struct dense_kernels;
template <std::size_t In, std::size_t Out, class Activation, bool Bias, std::size_t... I>
struct dense_kernels<In, Out, Activation, Bias, std::index_sequence<I...>> {
    /// out[r] = Activation(W x[r] + b) for the first `rows` rows (1 <= rows <= R); each sum
    /// runs over the inputs in order, then adds the bias.
    template <class T, std::size_t R>
    static constexpr void forward(const dense_params<T, In, Out, Bias>& p, const T (&x)[R][In], T (&out)[R][Out],
                                  std::size_t rows) {
        if (!__builtin_is_constant_evaluated()) {
            if constexpr (R == 1) {
                row_sums(p, x[0], out[0]);
            } else {  // two rows at a time: twice the independent chains of additions
                std::size_t r = 0;
                for (; r + 1 < rows; r += 2) row_pair_sums(p, x[r], x[r + 1], out[r], out[r + 1]);
                if (r < rows) row_sums(p, x[r], out[r]);
            }
            if constexpr (!activate_in_blocks) Activation::forward(out, rows);
            return;
        }
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

    /// Where lanes are scalars (no vector unit) each block of sums stays in registers through
    /// its element-wise activation; with vectors the activation runs over the stored row
    /// afterwards, where the compiler vectorises it as a loop.
    static constexpr bool activate_in_blocks = vector_bytes == 0 && elementwise_activation<Activation>;

    /// z[o] = sum_i w(o, i) x_i + b[o] for every output, over the inputs in order (then the
    /// activation when activate_in_blocks): forward()'s sums at run time, a block of outputs
    /// side by side in registers (simd.hpp's lanes).
    template <class T>
    static void row_sums(const dense_params<T, In, Out, Bias>& p, const T (&x)[In], T (&z)[Out]) {
        for_lane_blocks<Out, T>([&](std::size_t first, auto lane, auto block) { block_sums(p, x, z, first, lane, block); });
    }
    /// The sums of one block of outputs for one row.
    template <class T, class V, std::size_t... K>
    static void block_sums(const dense_params<T, In, Out, Bias>& p, const T (&x)[In], T (&z)[Out], std::size_t first,
                           std::type_identity<V>, std::index_sequence<K...>) {
        constexpr std::size_t L = lanes<V, T>;
        const V x0 = splat<V>(x[0]);
        V s[] = {(load<V>(p.w + first + K * L) * x0)...};
        for (std::size_t i = 1; i < In; ++i) {
            const V xi = splat<V>(x[i]);
            const T* w = p.w + i * Out + first;
            ((s[K] += load<V>(w + K * L) * xi), ...);
        }
        if constexpr (Bias) ((s[K] = s[K] + load<V>(p.b + first + K * L)), ...);
        if constexpr (activate_in_blocks) ((z[first + K] = Activation::value(s[K])), ...);  // scalars only
        else (store(z + first + K * L, s[K]), ...);
    }

    /// Whether a run-time pass runs a block of K lanes for two rows (or two inputs) at once:
    /// where there is a vector unit (an out-of-order core with 16 or more vector registers)
    /// and the 2K running sums fit them. Each sum is still one chain of additions in its
    /// order, but twice as many chains run side by side, and each weight (or gradient) loaded
    /// serves both: a batch's passes are otherwise bound by the latency of one addition
    /// after another. Not on a Cortex-M: an in-order core gains nothing, and the code grows.
    template <std::size_t K>
    static constexpr bool in_pairs = vector_bytes != 0 && K <= 4;

    /// row_sums() for rows x0 and x1 at once, into z0 and z1: the same sums.
    template <class T>
    static void row_pair_sums(const dense_params<T, In, Out, Bias>& p, const T (&x0)[In], const T (&x1)[In], T (&z0)[Out],
                              T (&z1)[Out]) {
        for_lane_blocks<Out, T>([&]<class V, std::size_t... K>(std::size_t first, std::type_identity<V> lane, std::index_sequence<K...> block) {
            if constexpr (!in_pairs<sizeof...(K)>) {
                block_sums(p, x0, z0, first, lane, block);
                block_sums(p, x1, z1, first, lane, block);
            } else {
                constexpr std::size_t L = lanes<V, T>;
                const V a0 = splat<V>(x0[0]), b0 = splat<V>(x1[0]);
                V s[] = {(load<V>(p.w + first + K * L) * a0)...};
                V t[] = {(load<V>(p.w + first + K * L) * b0)...};
                for (std::size_t i = 1; i < In; ++i) {
                    const V ai = splat<V>(x0[i]), bi = splat<V>(x1[i]);
                    const T* w = p.w + i * Out + first;
                    ((s[K] += load<V>(w + K * L) * ai), ...);
                    ((t[K] += load<V>(w + K * L) * bi), ...);
                }
                if constexpr (Bias) {
                    ((s[K] = s[K] + load<V>(p.b + first + K * L)), ...);
                    ((t[K] = t[K] + load<V>(p.b + first + K * L)), ...);
                }
                (store(z0 + first + K * L, s[K]), ...);
                (store(z1 + first + K * L, t[K]), ...);
            }
        });
    }

    // Inside the compiler the backward passes below are unrolled folds for narrow layers and
    // loops for wide ones (a fold of many statements inside the output loop costs more
    // than it saves there).
    static constexpr bool unrolled = In <= 16;

    /// Given g = dL/dz for the first `rows` rows (z the pre-activation), adds dL/dW and
    /// dL/db into `grad`, row after row.
    template <class T, std::size_t R>
    static constexpr void accumulate(const T (&x)[R][In], const T (&g)[R][Out], dense_params<T, In, Out, Bias>& grad,
                                     std::size_t rows) {
        if (!__builtin_is_constant_evaluated()) {
            for_lane_blocks<Out, T>([&]<class V, std::size_t... K>(std::size_t first, std::type_identity<V>, std::index_sequence<K...>) {
                constexpr std::size_t L = lanes<V, T>;
                std::size_t i = 0;
                if constexpr (in_pairs<sizeof...(K)>)  // inputs i and i + 1 at once, each g read once for both
                    for (; i + 1 < In; i += 2) {
                        T* w = grad.w + i * Out + first;
                        V s[] = {load<V>(w + K * L)...};
                        V t[] = {load<V>(w + Out + K * L)...};
                        for (std::size_t r = 0; r < rows; ++r) {
                            const V xi = splat<V>(x[r][i]), xj = splat<V>(x[r][i + 1]);
                            const V gr[] = {load<V>(g[r] + first + K * L)...};
                            ((s[K] += gr[K] * xi), ...);
                            ((t[K] += gr[K] * xj), ...);
                        }
                        (store(w + K * L, s[K]), ...);
                        (store(w + Out + K * L, t[K]), ...);
                    }
                for (; i < In; ++i) {
                    T* w = grad.w + i * Out + first;
                    V s[] = {load<V>(w + K * L)...};
                    for (std::size_t r = 0; r < rows; ++r) {
                        const V xi = splat<V>(x[r][i]);
                        const T* gr = g[r] + first;
                        ((s[K] += load<V>(gr + K * L) * xi), ...);
                    }
                    (store(w + K * L, s[K]), ...);
                }
                if constexpr (Bias) {
                    V s[] = {load<V>(grad.b + first + K * L)...};
                    for (std::size_t r = 0; r < rows; ++r) ((s[K] += load<V>(g[r] + first + K * L)), ...);
                    (store(grad.b + first + K * L, s[K]), ...);
                }
            });
            return;
        }
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t o = 0; o < Out; ++o) {
                if constexpr (unrolled) ((grad.w[I * Out + o] += g[r][o] * x[r][I]), ...);
                else for (std::size_t i = 0; i < In; ++i) grad.w[i * Out + o] += g[r][o] * x[r][i];
                if constexpr (Bias) grad.b[o] += g[r][o];
            }
    }

    /// Plain gradient descent straight from the rows, without the gradient buffer's two extra
    /// passes over the weights. One row (online SGD): w(o, i) -= (lr * g_o) * x_i and
    /// b_o -= lr * g_o, the step scaled once per output, as the usual hand-written loop does
    /// (one multiplication per weight). More rows: p -= lr * dL/dp with dL/dp summed over the
    /// rows in order, the bits of accumulate() into a zeroed gradient and kiln::sgd's step.
    template <class T, std::size_t R>
    static constexpr void descend(dense_params<T, In, Out, Bias>& p, const T (&x)[R][In], const T (&g)[R][Out],
                                  std::size_t rows, T lr) {
        if (!__builtin_is_constant_evaluated()) {
            for_lane_blocks<Out, T>([&]<class V, std::size_t... K>(std::size_t first, std::type_identity<V>, std::index_sequence<K...>) {
                constexpr std::size_t L = lanes<V, T>;
                const V rate = splat<V>(lr);
                if (rows == 1) {  // the block's steps lr * g stay in registers for every input
                    const V step[] = {(rate * load<V>(g[0] + first + K * L))...};
                    for (std::size_t i = 0; i < In; ++i) {
                        const V xi = splat<V>(x[0][i]);
                        T* w = p.w + i * Out + first;
                        (store(w + K * L, load<V>(w + K * L) - step[K] * xi), ...);
                    }
                    if constexpr (Bias) (store(p.b + first + K * L, load<V>(p.b + first + K * L) - step[K]), ...);
                    return;
                }
                std::size_t i = 0;
                if constexpr (in_pairs<sizeof...(K)>)  // inputs i and i + 1 at once, as in accumulate()
                    for (; i + 1 < In; i += 2) {
                        const V g0[] = {load<V>(g[0] + first + K * L)...};
                        const V xi0 = splat<V>(x[0][i]), xj0 = splat<V>(x[0][i + 1]);
                        V s[] = {(g0[K] * xi0)...};
                        V t[] = {(g0[K] * xj0)...};
                        for (std::size_t r = 1; r < rows; ++r) {
                            const V xi = splat<V>(x[r][i]), xj = splat<V>(x[r][i + 1]);
                            const V gr[] = {load<V>(g[r] + first + K * L)...};
                            ((s[K] += gr[K] * xi), ...);
                            ((t[K] += gr[K] * xj), ...);
                        }
                        T* w = p.w + i * Out + first;
                        (store(w + K * L, load<V>(w + K * L) - rate * s[K]), ...);
                        (store(w + Out + K * L, load<V>(w + Out + K * L) - rate * t[K]), ...);
                    }
                for (; i < In; ++i) {
                    const V x0 = splat<V>(x[0][i]);
                    V s[] = {(load<V>(g[0] + first + K * L) * x0)...};
                    for (std::size_t r = 1; r < rows; ++r) {
                        const V xi = splat<V>(x[r][i]);
                        const T* gr = g[r] + first;
                        ((s[K] += load<V>(gr + K * L) * xi), ...);
                    }
                    T* w = p.w + i * Out + first;
                    (store(w + K * L, load<V>(w + K * L) - rate * s[K]), ...);
                }
                if constexpr (Bias) {
                    V s[] = {load<V>(g[0] + first + K * L)...};
                    for (std::size_t r = 1; r < rows; ++r) ((s[K] += load<V>(g[r] + first + K * L)), ...);
                    (store(p.b + first + K * L, load<V>(p.b + first + K * L) - rate * s[K]), ...);
                }
            });
            return;
        }
        if (rows == 1) {
            for (std::size_t o = 0; o < Out; ++o) {
                const T step = lr * g[0][o];
                if constexpr (unrolled) ((p.w[I * Out + o] -= step * x[0][I]), ...);
                else for (std::size_t i = 0; i < In; ++i) p.w[i * Out + o] -= step * x[0][i];
                if constexpr (Bias) p.b[o] -= step;
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

    /// Run time, online: descend() for one row x with dL/dz g, fused with forward() of the
    /// row after it, `next`, into out[0]. Each input's weights are stepped, stored, and
    /// multiplied into the next row's sums while still in registers, so every value gets the
    /// operations of the two passes one after the other, in their order (the next row's sums
    /// read each weight only after its step), in one sweep over the weights instead of two;
    /// and the steps fill the time the sums' chains of dependent additions would leave idle.
    template <class T, std::size_t R>
    static void descend_forward(dense_params<T, In, Out, Bias>& p, const T (&x)[In], const T (&g)[Out], T lr,
                                const T (&next)[In], T (&out)[R][Out]) {
        for_lane_blocks<Out, T>([&]<class V, std::size_t... K>(std::size_t first, std::type_identity<V>, std::index_sequence<K...>) {
            constexpr std::size_t L = lanes<V, T>;
            const V rate = splat<V>(lr);
            const V step[] = {(rate * load<V>(g + first + K * L))...};
            // Pointers held in locals, and each input's values read before its stores: a store
            // (a memcpy) may alias any memory, which would otherwise be read again after it.
            T* const w = p.w + first;
            const T* const xs = x;
            const T* const ns = next;
            const auto stepped = [&](std::size_t i, std::size_t k, V xi) {
                T* const wk = w + i * Out + k * L;
                const V v = load<V>(wk) - step[k] * xi;
                store(wk, v);
                return v;
            };
            const V x0 = splat<V>(xs[0]), n0 = splat<V>(ns[0]);
            V s[] = {(stepped(0, K, x0) * n0)...};  // the sums start at the first product
            for (std::size_t i = 1; i < In; ++i) {
                const V xi = splat<V>(xs[i]), ni = splat<V>(ns[i]);
                ((s[K] += stepped(i, K, xi) * ni), ...);
            }
            if constexpr (Bias) {
                T* const b = p.b + first;
                const V v[] = {(load<V>(b + K * L) - step[K])...};
                (store(b + K * L, v[K]), ...);
                ((s[K] = s[K] + v[K]), ...);
            }
            if constexpr (activate_in_blocks) ((out[0][first + K] = Activation::value(s[K])), ...);  // scalars only
            else (store(out[0] + first + K * L, s[K]), ...);
        });
        if constexpr (!activate_in_blocks) Activation::forward(out, 1);
    }

    /// dx = dL/dx (the previous layer's dL/da) from g = dL/dz, for the first `rows` rows:
    /// dx_i = 0 + w_i0 g_0 + w_i1 g_1 + ..., over the outputs in order.
    template <class T, std::size_t R>
    static constexpr void propagate(const dense_params<T, In, Out, Bias>& p, const T (&g)[R][Out], T (&dx)[R][In],
                                    std::size_t rows) {
        if (!__builtin_is_constant_evaluated()) {
            // With vectors, and g's transpose small enough for the stack, a batch's rows side
            // by side in lanes: each input's sums for every row at once (rows past `rows` sum
            // zeros), then put back in place.
            constexpr bool rows_in_lanes = vector_bytes != 0 && sizeof(T) * Out * R <= 8192;
            if (rows_in_lanes && rows > R / 4) {
                T gt[Out][R];
                for (std::size_t o = 0; o < Out; ++o) {
                    for (std::size_t r = 0; r < rows; ++r) gt[o][r] = g[r][o];
                    for (std::size_t r = rows; r < R; ++r) gt[o][r] = T(0);
                }
                for (std::size_t i = 0; i < In; ++i) {
                    T column[R];
                    for_lane_blocks<R, T>([&]<class V, std::size_t... K>(std::size_t first, std::type_identity<V>, std::index_sequence<K...>) {
                        constexpr std::size_t L = lanes<V, T>;
                        V s[] = {((void)K, splat<V>(T(0)))...};
                        for (std::size_t o = 0; o < Out; ++o) {
                            const V w = splat<V>(p.w[i * Out + o]);
                            ((s[K] += w * load<V>(gt[o] + first + K * L)), ...);
                        }
                        (store(column + first + K * L, s[K]), ...);
                    });
                    for (std::size_t r = 0; r < rows; ++r) dx[r][i] = column[r];
                }
                return;
            }
            // Few rows: inputs side by side in lanes, each lane's weights gathered from a
            // column of w (Out apart).
            for (std::size_t r = 0; r < rows; ++r) {
                T gr[Out];
                for (std::size_t o = 0; o < Out; ++o) gr[o] = g[r][o];
                for_lane_blocks<In, T>([&]<class V, std::size_t... K>(std::size_t first, std::type_identity<V>, std::index_sequence<K...>) {
                    constexpr std::size_t L = lanes<V, T>;
                    V s[] = {((void)K, splat<V>(T(0)))...};
                    for (std::size_t o = 0; o < Out; ++o) {
                        const V go = splat<V>(gr[o]);
                        const T* w = p.w + first * Out + o;
                        ((s[K] += load_strided<V>(w + K * L * Out, Out) * go), ...);
                    }
                    (store(dx[r] + first + K * L, s[K]), ...);
                });
            }
            return;
        }
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
/// forward(), accumulate(), propagate() and descend() are the layer's passes over rows of a batch;
/// descend_forward(), at run time only, is online descent fused with the next row's forward().
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
