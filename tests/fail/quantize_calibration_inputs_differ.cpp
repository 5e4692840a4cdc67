// expect: kiln::quantize: the calibration rows have a different number of inputs than the network's first layer
// Calibration rows of the wrong shape are caught before anything runs.
#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

using net_t = kiln::network<float, kiln::dense<2, 3, kiln::relu>, kiln::dense<3, 2, kiln::softmax>>;
constexpr net_t net = net_t::initialized(kiln::he_uniform{}, kiln::seed{1});
constexpr kiln::dataset<float, 2, 3, 2> rows{{{{0, 1, 2}, {1, 0}}, {{1, 1, 1}, {0, 1}}}};
constexpr auto q = kiln::quantize(net, rows);
