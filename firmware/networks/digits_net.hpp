// firmware/networks/digits_net.hpp — the shape of the firmware's baked digits network (64 pixels, 10 classes).
#pragma once

#include <kiln/inference.hpp>

namespace firmware::digits {
using net_type = kiln::network<float, kiln::dense<64, 32, kiln::relu>, kiln::dense<32, 10, kiln::softmax>>;
}
