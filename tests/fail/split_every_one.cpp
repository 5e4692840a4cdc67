// expect: Every must be at least 2
// Holding out every row leaves nothing to train on.
#include <kiln/dataset.hpp>

constexpr kiln::dataset<double, 3, 1, 1> three_rows{{{{0}, {0}}, {{1}, {1}}, {{2}, {0}}}};
constexpr auto parts = kiln::split_every<1>(three_rows);
