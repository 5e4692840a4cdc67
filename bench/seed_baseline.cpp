// bench/seed_baseline.cpp — the seed's training loop hand-coded for the constant evaluator: the baseline kiln is measured against.
//
// One sigmoid neuron, 3 inputs, no bias, 4 rows, 10000 full-batch epochs of
// w += X^T((y - out) out (1 - out)), from NumPy's seed-42 weights. Coded the cheapest way
// shared/notes/constexpr-cost.md found: the state in a raw C array, one call per epoch
// taking it by reference, the 3-wide loops written out, the sigmoid inline over kiln's exp.
// With -DKILN_BENCH_TRAIN the compiler trains it and checks NumPy's final weights; without,
// the file only parses the same code, so the difference is the cost of training.
#include <kiln/kiln.hpp>

#include "kiln_exp.hpp"
#include "seed_hand.hpp"

namespace seed_baseline {

constexpr double x[4][3] = {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}};
constexpr double y[4] = {0, 0, 1, 1};

using seed_hand::weights;

/// One full-batch epoch: the forward pass of all four rows, then one update of w.
constexpr void epoch(double (&w)[3]) {
    double d[4];
    for (int r = 0; r < 4; ++r) {
        const double z = x[r][0] * w[0] + x[r][1] * w[1] + x[r][2] * w[2];
        const double out = 1.0 / (1.0 + bench_math::exp(-z));
        d[r] = (y[r] - out) * out * (1.0 - out);
    }
    w[0] += x[0][0] * d[0] + x[1][0] * d[1] + x[2][0] * d[2] + x[3][0] * d[3];
    w[1] += x[0][1] * d[0] + x[1][1] * d[1] + x[2][1] * d[2] + x[3][1] * d[3];
    w[2] += x[0][2] * d[0] + x[1][2] * d[1] + x[2][2] * d[2] + x[3][2] * d[3];
}

/// The weights after `epochs` epochs from `start`.
constexpr weights trained(weights start, int epochs) {
    for (int e = 0; e < epochs; ++e) epoch(start.w);
    return start;
}

} // namespace seed_baseline

#ifdef KILN_BENCH_TRAIN
constexpr seed_baseline::weights seed_baseline_trained = seed_baseline::trained(seed_hand::initial, 10000);
static_assert(seed_hand::reaches_numpy(seed_baseline_trained), "the hand-coded seed loop reaches NumPy's final weights to 1e-9");
#endif
