// expect: quantize_layer_holds_a_weight_or_bias_that_is_nan_inf_or_huge.*(<1|Layer = 1)
// A NaN weight in layer 1: inside the compiler the error names the check and the layer.
#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

#include <limits>

using net_t = kiln::network<float, kiln::dense<2, 3, kiln::relu>, kiln::dense<3, 2, kiln::softmax>>;
constexpr net_t net = [] {
    auto n = net_t::initialized(kiln::he_uniform{}, kiln::seed{1});
    n.layer<1>().weight(1, 2) = std::numeric_limits<float>::quiet_NaN();
    return n;
}();
constexpr kiln::dataset<float, 2, 2, 2> rows{{{{0, 1}, {1, 0}}, {{1, 1}, {0, 1}}}};
constexpr auto q = kiln::quantize(net, rows);
