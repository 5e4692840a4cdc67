// bench/seed_layered.cpp — the seed's loop hand-coded in the shape a general library must have: how close to the baseline any such code can get.
//
// seed_baseline.cpp writes the whole epoch as one function with the formulas inline. A
// library cannot: the layer, its activation, the loss and the update rule are separate
// pieces the user combines, so each is at least one call per epoch. This file keeps exactly
// that much structure (one call per epoch to each of: the layer's forward pass, the
// activation over the block, the output gradient, the descent with its divergence check)
// and otherwise codes everything as cheaply as this benchmark's authors could: plain arrays,
// every loop over rows and inputs unrolled as a fold (possible here because the row count
// is a constant; kiln's fit() learns it at run time), the formulas written inline in each
// block pass. Its extra seconds over seed_baseline.cpp are a floor for general-purpose code
// on this problem, measured by bench/compile_cost.sh in the same run.
// With -DKILN_BENCH_TRAIN the compiler trains it and checks NumPy's final weights.
#include <cstddef>
#include <utility>

#include "kiln_exp.hpp"
#include "seed_hand.hpp"

namespace seed_layered {

template <std::size_t Rows, std::size_t In, std::size_t Out>
struct dense {
    /// z = W x for every row: one fold over (row, input) pairs, each row's sum in input order.
    template <std::size_t... K>
    static constexpr void forward(const double (&w)[Out * In], const double (&x)[Rows][In],
                                  double (&z)[Rows][Out], std::index_sequence<K...>) {
        for (std::size_t o = 0; o < Out; ++o)
            ((z[K / In][o] = (K % In == 0 ? 0.0 : z[K / In][o]) + w[o * In + K % In] * x[K / In][K % In]), ...);
    }
    /// w -= lr * sum over rows of g x, in row order; whether every weight stays within +-2^256.
    template <std::size_t... R>
    static constexpr bool descend(double (&w)[Out * In], const double (&x)[Rows][In], const double (&g)[Rows][Out],
                                  double lr, std::index_sequence<R...>) {
        bool ok = true;
        for (std::size_t k = 0; k < Out * In; ++k) {
            w[k] -= lr * (... + (g[R][k / In] * x[R][k % In]));
            ok = ok && w[k] < 0x1p256 && w[k] > -0x1p256;
        }
        return ok;
    }
};

struct sigmoid {
    template <std::size_t Rows, std::size_t W, std::size_t... K>
    static constexpr void forward(double (&a)[Rows][W], std::index_sequence<K...>) {
        ((a[K / W][K % W] = 1.0 / (1.0 + bench_math::exp(-a[K / W][K % W]))), ...);
    }
};

/// dL/dz for the summed squared error after a sigmoid: (a - y) a (1 - a).
template <std::size_t Rows, std::size_t W, std::size_t... K>
constexpr void output_gradient(const double (&a)[Rows][W], const double (&y)[Rows][W], double (&g)[Rows][W],
                               std::index_sequence<K...>) {
    ((g[K / W][K % W] = (a[K / W][K % W] - y[K / W][K % W]) * (a[K / W][K % W] * (1.0 - a[K / W][K % W]))), ...);
}

struct trainer {
    double x[4][3] = {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}};
    double y[4][1] = {{0}, {0}, {1}, {1}};
    double a[4][1]{};
    double g[4][1]{};

    constexpr bool epoch(double (&w)[3]) {
        dense<4, 3, 1>::forward(w, x, a, std::make_index_sequence<12>{});
        sigmoid::forward(a, std::make_index_sequence<4>{});
        output_gradient(a, y, g, std::make_index_sequence<4>{});
        return dense<4, 3, 1>::descend(w, x, g, 1.0, std::make_index_sequence<4>{});
    }
};

using seed_hand::weights;

constexpr weights trained(weights start, int epochs) {
    trainer t{};
    for (int e = 0; e < epochs; ++e)
        if (!t.epoch(start.w)) break;
    return start;
}

} // namespace seed_layered

#ifdef KILN_BENCH_TRAIN
constexpr seed_layered::weights seed_layered_trained = seed_layered::trained(seed_hand::initial, 10000);
static_assert(seed_hand::reaches_numpy(seed_layered_trained), "the layered hand coding reaches NumPy's final weights to 1e-9");
#endif
