// expect: a layer needs at least one input and one output
// dense<0, 1> would compute a constant: refused where the layer is named.
#include <kiln/layer.hpp>

constexpr auto inputs = kiln::dense<0, 1>::inputs;
