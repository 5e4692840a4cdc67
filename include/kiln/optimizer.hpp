// kiln/optimizer.hpp — optimizers: how a batch's gradient moves the parameters.
//
// An optimizer is an aggregate of options (`kiln::adam{.learning_rate = 1e-3}`) with
//   state<P>                          what it keeps per layer (P is the layer's params type),
//   update(p, g, state, scale)        p moves along g * scale, then g is zeroed.
// `scale` is 1 for a summed loss and 1 / batch size for a mean one. Each update is one
// pass over the layer's arrays with independent iterations, which a compiler vectorises;
// fit() checks the parameters for divergence once per epoch (network::all_within).
#pragma once

#include <cstddef>

#include "math.hpp"
#include "simd.hpp"

namespace kiln {

/// Gradient descent: p -= learning_rate * g; with momentum (Keras's form)
/// v = momentum * v - learning_rate * g, p += v; with nesterov, p += momentum * v - learning_rate * g.
struct sgd {
    double learning_rate = 0.01;
    double momentum = 0.0;
    bool nesterov = false;

    template <class P>
    struct state {
        P velocity;
    };

    template <class P, class T = typename P::value_type>
    constexpr void update(P& p, P& g, state<P>& s, T scale) const {
        step(p.w, g.w, s.velocity.w, scale);
        if constexpr (P::has_bias) step(p.b, g.b, s.velocity.b, scale);
    }

private:
    // Arrays by reference, indexed: GCC's evaluator charges about twice as much per
    // element reached through a pointer.
    template <class T, std::size_t N>
    constexpr void step(T (&p)[N], T (&g)[N], T (&v)[N], T scale) const {
        const T lr = T(learning_rate) * scale, mu = T(momentum);
        if (momentum == 0.0) {
            for (std::size_t i = 0; i < N; ++i) p[i] -= lr * g[i], g[i] = T(0);
        } else if (nesterov) {
            for (std::size_t i = 0; i < N; ++i) v[i] = mu * v[i] - lr * g[i], p[i] += mu * v[i] - lr * g[i], g[i] = T(0);
        } else {
            for (std::size_t i = 0; i < N; ++i) v[i] = mu * v[i] - lr * g[i], p[i] += v[i], g[i] = T(0);
        }
    }
};

/// Adam (Kingma & Ba, 2015): m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2,
/// p -= learning_rate * m_hat / (sqrt(v_hat) + epsilon) with the bias-corrected m_hat, v_hat.
struct adam {
    double learning_rate = 0.001;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-7;

    template <class P>
    struct state {
        P m;
        P v;
        typename P::value_type beta1_t = 1, beta2_t = 1;  // beta^t after t updates
    };

    template <class P, class T = typename P::value_type>
    constexpr void update(P& p, P& g, state<P>& s, T scale) const {
        s.beta1_t *= T(beta1);
        s.beta2_t *= T(beta2);
        step(p.w, g.w, s.m.w, s.v.w, scale, s);
        if constexpr (P::has_bias) step(p.b, g.b, s.m.b, s.v.b, scale, s);
    }

private:
    template <class T, std::size_t N, class S>
    constexpr void step(T (&p)[N], T (&g)[N], T (&m)[N], T (&v)[N], T scale, const S& s) const {
        const T b1 = T(beta1), b2 = T(beta2), c1 = T(1) - s.beta1_t, c2 = T(1) - s.beta2_t;
        const T lr = T(learning_rate), eps = T(epsilon);
        if (!__builtin_is_constant_evaluated()) {  // the same operations on lanes (simd.hpp)
            detail::for_lane_blocks<N, T, detail::vector_bytes>([&]<class V, std::size_t... K>(std::size_t i, std::type_identity<V>, std::index_sequence<K...>) {
                constexpr std::size_t L = detail::lanes<V, T>;
                (step_lane<V>(p + i + K * L, g + i + K * L, m + i + K * L, v + i + K * L, scale, b1, b2, c1, c2, lr, eps), ...);
            });
            return;
        }
        for (std::size_t i = 0; i < N; ++i) {
            const T gi = g[i] * scale;
            m[i] = b1 * m[i] + (T(1) - b1) * gi;
            v[i] = b2 * v[i] + (T(1) - b2) * gi * gi;
            p[i] -= lr * (m[i] / c1) / (kiln::math::sqrt(v[i] / c2) + eps);
            g[i] = T(0);
        }
    }

    template <class V, class T>
    static void step_lane(T* p, T* g, T* m, T* v, T scale, T b1, T b2, T c1, T c2, T lr, T eps) {
        using detail::load, detail::splat, detail::store;
        const V gi = load<V>(g) * splat<V>(scale);
        const V mi = splat<V>(b1) * load<V>(m) + splat<V>(T(1) - b1) * gi;
        const V vi = splat<V>(b2) * load<V>(v) + splat<V>(T(1) - b2) * gi * gi;
        store(m, mi);
        store(v, vi);
        store(p, load<V>(p) - splat<V>(lr) * (mi / splat<V>(c1)) / (detail::sqrt<V, T>(vi / splat<V>(c2)) + splat<V>(eps)));
        store(g, splat<V>(T(0)));
    }
};

} // namespace kiln
