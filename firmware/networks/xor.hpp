// firmware/networks/xor.hpp — XOR 2-4-1 in float, and the training that learns it.
//
// Sigmoid in both layers (examples/xor.cpp has a tanh hidden layer): one transcendental
// function, exp, in the image, as in the hand-written stand-in the footprint targets came
// from. It learns more slowly than tanh: 150 full-batch epochs at rate 1 (the worst row is
// then 0.037 from its target).
// train() is constexpr: a firmware translation unit calls it in a constant expression to
// have the compiler train the network, and with run-time data to train it on the target.
#pragma once

#include <kiln/kiln.hpp>

namespace firmware::xor_net {

using net_type = kiln::network<float, kiln::dense<2, 4, kiln::sigmoid>, kiln::dense<4, 1, kiln::sigmoid>>;
using data_type = kiln::dataset<float, 4, 2, 1>;

inline constexpr data_type data{{
    {{0, 0}, {0}},
    {{0, 1}, {1}},
    {{1, 0}, {1}},
    {{1, 1}, {0}},
}};

/// The network learned from `rows` (pass `data`), from the weights seed `seed` draws (pass 2).
constexpr net_type train(const data_type& rows, std::uint64_t seed) {
    auto net = net_type::initialized(kiln::xavier_uniform{}, kiln::seed{seed});
    kiln::fit(net, rows, kiln::binary_cross_entropy{.reduction = kiln::reduction::sum},
              kiln::sgd{.learning_rate = 1.0f}, {.epochs = 150});
    return net;
}

/// The same network trained online on shuffled rows (30 epochs at rate 0.5): the path where
/// each row's descent of the first layer also computes the next row's first layer.
constexpr net_type train_online(const data_type& rows, std::uint64_t seed) {
    auto net = net_type::initialized(kiln::xavier_uniform{}, kiln::seed{seed});
    kiln::fit(net, rows, kiln::binary_cross_entropy{.reduction = kiln::reduction::sum},
              kiln::sgd{.learning_rate = 0.5f}, {.epochs = 30, .batch_size = 1, .shuffle = true, .seed = kiln::seed{seed}});
    return net;
}

} // namespace firmware::xor_net
