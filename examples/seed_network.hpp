// examples/seed_network.hpp — the tutorial's network, its data and its NumPy figures, shared by the seed demo and tests.
//
// One sigmoid neuron without bias over three inputs (the third is constantly 1 and plays
// the bias), four rows, weights drawn as NumPy does after np.random.seed(42), then full-batch
// gradient descent on the summed squared error with learning rate 1.
#pragma once

#include <kiln/kiln.hpp>

namespace seed {

using network = kiln::network<double, kiln::dense<3, 1, kiln::sigmoid, kiln::no_bias>>;

inline constexpr kiln::dataset<double, 4, 3, 1> data{{
    {{0, 0, 1}, {0}},
    {{0, 1, 1}, {0}},
    {{1, 0, 1}, {1}},
    {{1, 1, 1}, {1}},
}};

inline constexpr std::size_t epochs = 10000;

/// The untrained network: weights 2 * random_sample() - 1 from MT19937 seeded with 42.
constexpr network initial() {
    kiln::mt19937 numpy_engine{42};
    return network::initialized(kiln::uniform{-1, 1}, numpy_engine);
}

/// `start` after n more epochs of the tutorial's training.
template <class Callback = kiln::no_callback>
constexpr network trained(network start, std::size_t n, Callback&& callback = {}) {
    kiln::fit(start, data, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 1.0}, {.epochs = n},
              static_cast<Callback&&>(callback));
    return start;
}

// The figures NumPy 1.24.2 prints for the tutorial's program (shared/seed/REFERENCE.md).
namespace numpy {
inline constexpr double initial_weights[3] = {-0x1.00f11c3415c28p-2, 0x1.cd880d177aca8p-1, 0x1.db1fa3c799d44p-2};
/// mean |y - output| of the forward pass of epochs 0, 1000, ..., 9000 (before that epoch's update).
inline constexpr double mean_abs_error[10] = {
    0.5261413704970179,   0.02613280066594057,  0.018176858121094912, 0.014734950161984704,
    0.012706694734033588, 0.011332479142251758, 0.010323188962834177, 0.009541743874413925,
    0.008913720541675066, 0.00839478433225734};
/// The forward pass of epoch 9999 (the tutorial's "output after training").
inline constexpr double output_after_training[4] = {0.009668084226237097, 0.007865894813843846,
                                                    0.993588631703101, 0.9921170473501294};
/// The weights after the 10000th update, and their predictions.
inline constexpr double final_weights[3] = {9.672563032508513, -0.2081117369575768, -4.6292614413270865};
inline constexpr double final_prediction[4] = {0.009667591523461198, 0.007865495296021091, 0.9935889567859635,
                                               0.9921174485325156};
} // namespace numpy

/// |a - b| <= tolerance * max(|b|, tiny): agreement to a relative tolerance.
constexpr bool close(double a, double b, double tolerance) {
    const double d = a > b ? a - b : b - a;
    const double m = b < 0 ? -b : b;
    return d <= tolerance * (m > 1e-300 ? m : 1e-300);
}

} // namespace seed
