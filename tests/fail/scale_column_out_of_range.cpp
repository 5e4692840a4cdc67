// expect: scaling_column_spread_out_of_range_for_the_value_type
// A double column spanning -1e308..1e308 has a spread beyond double's range, so min-max
// scaling cannot map it onto [0, 1]; inside the compiler that is a compile error naming it.
#include <kiln/scale.hpp>

constexpr kiln::dataset<double, 2, 1, 1> data{{{{-1e308}, {1}}, {{1e308}, {0}}}};
constexpr auto unit = kiln::fit_min_max(data);
