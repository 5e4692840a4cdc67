// expect: fewer rows than Every
// Control for the must-not-compile machinery: this fails, but for another reason than the
// one it expects, and its test has to report that.
#include <kiln/dataset.hpp>

constexpr kiln::dataset<double, 3, 1, 1> three_rows{{{{0}, {0}}, {{1}, {1}}, {{2}, {0}}}};
constexpr auto parts = kiln::split_every<1>(three_rows);
