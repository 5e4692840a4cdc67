// expect: fewer rows than Every
// Control for the must-not-compile machinery: five rows are enough, so this compiles and
// its test has to report that.
#include <kiln/dataset.hpp>

constexpr kiln::dataset<double, 5, 1, 1> five_rows{{{{0}, {0}}, {{1}, {1}}, {{2}, {0}}, {{3}, {1}}, {{4}, {0}}}};
constexpr auto parts = kiln::split_every<5>(five_rows);
static_assert(parts.test.size() == 1);
