// firmware/networks/digits.hpp — the baked digits network the firmware runs, and ten held-out rows for it.
//
// digits_net.hpp is examples/digits_firmware.cpp's network: examples/digits.cpp trains the
// 64-32-10 network (tanh, softmax) at run time with seed 1 and writes it with
// kiln::io::write_header; digits_data.hpp holds examples/data/digits.csv baked by
// kiln_bake_csv with the agreed split. firmware/CMakeLists.txt makes both while it builds.
#pragma once

#include <cstddef>

#include "digits_data.hpp"
#include "digits_net.hpp"

namespace firmware::digits {

using net_type = digits_net_t;
inline constexpr const net_type& net = digits_net;

/// The first held-out row of each class, with its label.
inline constexpr std::size_t sample_count = 10;
struct samples_type {
    float inputs[sample_count][64];
    std::size_t labels[sample_count];
};
constexpr samples_type first_of_each_class() {
    samples_type s{};
    for (std::size_t c = 0; c < sample_count; ++c) {
        std::size_t r = 0;
        while (digits_test[r].y[c] != 1) ++r;
        for (std::size_t i = 0; i < 64; ++i) s.inputs[c][i] = digits_test[r].x[i];
        s.labels[c] = c;
    }
    return s;
}
inline constexpr samples_type samples = first_of_each_class();
inline constexpr const auto& sample_inputs = samples.inputs;
inline constexpr const auto& sample_labels = samples.labels;

} // namespace firmware::digits
