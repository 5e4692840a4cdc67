// expect: quantize_needs_at_least_one_calibration_row
// No calibration rows, no activation ranges.
#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

using net_t = kiln::network<float, kiln::dense<2, 3, kiln::relu>, kiln::dense<3, 2, kiln::softmax>>;
constexpr net_t net = net_t::initialized(kiln::he_uniform{}, kiln::seed{1});
constexpr kiln::dataset_view<float, 2, 2> no_rows{};
constexpr auto q = kiln::quantize(net, no_rows);
