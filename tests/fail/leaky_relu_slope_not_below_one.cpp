// expect: the slope Num / Den must lie in
// A slope of 2 would make a negative input's output larger in magnitude than a positive one's
// and break reading the side from the output's sign.
#include <kiln/activation.hpp>

constexpr double y = kiln::leaky_relu_with<2, 1>::value(-1.0);
