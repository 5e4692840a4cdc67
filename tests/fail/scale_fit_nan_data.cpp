// expect: scaling_data_holds_a_nan_or_inf
// A NaN among the rows a scaler is fitted on would make its offset and factor NaN; inside
// the compiler fitting stops with a compile error that names the cause.
#include <kiln/scale.hpp>

#include <limits>

constexpr kiln::dataset<double, 2, 2, 1> data{{{{0, 1}, {1}}, {{1, std::numeric_limits<double>::quiet_NaN()}, {0}}}};
constexpr auto standard = kiln::fit_standardizer(data);
