// expect: kiln::scaler: T must be float or double
// The statistics are rounded to T and math::sqrt has only the two IEEE types.
#include <kiln/scale.hpp>

kiln::scaler<int, 2> s{};
