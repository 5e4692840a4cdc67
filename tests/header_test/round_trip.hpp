// tests/header_test/round_trip.hpp — the networks the round-trip test trains, bakes and reads back, shared by its two programs.
#pragma once

#include <kiln/activation.hpp>
#include <kiln/layer.hpp>
#include <kiln/network.hpp>

namespace round_trip {

// float: the digits example's kind of network (sigmoid hidden layer, softmax output).
using float_net = kiln::network<float, kiln::dense<4, 8, kiln::sigmoid>, kiln::dense<8, 3, kiln::softmax>>;

// double: every activation kiln has, and a layer without biases, so each spelling is compiled.
using double_net =
    kiln::network<double, kiln::dense<4, 6, kiln::tanh>, kiln::dense<6, 6, kiln::relu, kiln::no_bias>,
                  kiln::dense<6, 6, kiln::leaky_relu_with<3, 10>>, kiln::dense<6, 6, kiln::leaky_relu>,
                  kiln::dense<6, 5, kiln::fast_sigmoid>, kiln::dense<5, 5, kiln::hard_sigmoid>,
                  kiln::dense<5, 4, kiln::identity>, kiln::dense<4, 3, kiln::softmax>>;

} // namespace round_trip
