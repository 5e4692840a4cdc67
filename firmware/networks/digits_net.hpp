// firmware/networks/digits_net.hpp — the shape of the firmware's baked digits network (64 pixels, 10 classes).
//
// digits.hpp, generated, holds the numbers. Whatever replaces it (a header written by
// kiln::io::write_header, say) must define in namespace firmware::digits: `net` (a
// namespace-scope constexpr net_type, so that it lands in .rodata), `sample_count`,
// `sample_inputs[sample_count][64]` and `sample_labels[sample_count]`.
#pragma once

#include <kiln/inference.hpp>

namespace firmware::digits {
using net_type = kiln::network<float, kiln::dense<64, 32, kiln::relu>, kiln::dense<32, 10, kiln::softmax>>;
}
