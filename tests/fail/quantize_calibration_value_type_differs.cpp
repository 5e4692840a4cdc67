// expect: kiln::quantize: the calibration rows' value type \(float or double\) differs from the network's
// Double rows for a float network would be converted silently; quantize() asks for the network's type.
#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

using net_t = kiln::network<float, kiln::dense<2, 3, kiln::relu>, kiln::dense<3, 2, kiln::softmax>>;
constexpr net_t net = net_t::initialized(kiln::he_uniform{}, kiln::seed{1});
constexpr kiln::dataset<double, 2, 2, 2> rows{{{{0, 1}, {1, 0}}, {{1, 1}, {0, 1}}}};
constexpr auto q = kiln::quantize(net, rows);
