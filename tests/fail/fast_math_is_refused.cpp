// expect: kiln: -ffast-math
// flags: -ffast-math
// -ffast-math lets the compiler reorder and contract arithmetic at run time (never inside the
// constant evaluator), so the compile-time and run-time bits would part: kiln refuses it.
#include <kiln/kiln.hpp>
