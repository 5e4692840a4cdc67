// expect: kiln::scaler: a scaler needs at least one column
#include <kiln/scale.hpp>

kiln::scaler<float, 0> s{};
