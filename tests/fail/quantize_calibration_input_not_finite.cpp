// expect: quantize_calibration_row_holds_a_nan_inf_or_huge_input
// An infinite input in a calibration row would give an infinite range: a compile error naming the check.
#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

#include <limits>

using net_t = kiln::network<float, kiln::dense<2, 3, kiln::relu>, kiln::dense<3, 2, kiln::softmax>>;
constexpr net_t net = net_t::initialized(kiln::he_uniform{}, kiln::seed{1});
constexpr kiln::dataset<float, 2, 2, 2> rows{{{{0, 1}, {1, 0}}, {{1, std::numeric_limits<float>::infinity()}, {0, 1}}}};
constexpr auto q = kiln::quantize(net, rows);
