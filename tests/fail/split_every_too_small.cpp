// expect: fewer rows than Every
// Holding out one row in five needs at least five rows; three must be refused at compile time.
#include <kiln/dataset.hpp>

constexpr kiln::dataset<double, 3, 1, 1> three_rows{{{{0}, {0}}, {{1}, {1}}, {{2}, {0}}}};
constexpr auto parts = kiln::split_every<5>(three_rows);
