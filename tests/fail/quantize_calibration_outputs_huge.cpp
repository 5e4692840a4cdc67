// expect: quantize_calibration_outputs_of_layer_are_nan_inf_or_huge.*(<1|Layer = 1)
// Finite weights whose layer-1 outputs pass 2^32 on a calibration row: caught before the
// next products could overflow (which GCC would report as a bare "not a constant expression").
#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

using net_t = kiln::network<float, kiln::dense<2, 3, kiln::relu>, kiln::dense<3, 2, kiln::identity>>;
constexpr net_t net{net_t::params_type<0>{.w = {1e6f, 1e6f, 1e6f, 1e6f, 1e6f, 1e6f}, .b = {0, 0, 0}},
                    net_t::params_type<1>{.w = {1e6f, 1e6f, 1e6f, 1e6f, 1e6f, 1e6f}, .b = {0, 0}}};
constexpr kiln::dataset<float, 2, 2, 2> rows{{{{0, 1}, {1, 0}}, {{1, 1}, {0, 1}}}};
constexpr auto q = kiln::quantize(net, rows);
