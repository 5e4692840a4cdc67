// bench/kiln_exp.hpp — kiln's exp for the hand-written baselines, under whichever name the library gives it.
//
// kiln's math functions are moving from kiln:: to kiln::math:: (the activation type
// kiln::tanh hides the function kiln::tanh). A qualified call through a namespace that
// nominates both finds whichever one exists, and calls it directly: no wrapper call, which
// would add a frame to every constant-evaluated exp and distort the baseline.
#pragma once

#include <kiln/math.hpp>

namespace kiln::math {}  // empty before the move; the real one after it

namespace bench_math {
using namespace kiln::math;
using namespace kiln;
} // namespace bench_math
