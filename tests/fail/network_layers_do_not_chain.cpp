// expect: layer_outputs_must_equal_next_layer_inputs<0, 4, 3>
// A layer with 4 outputs cannot feed one with 3 inputs: the error names the layer (0) and both sizes.
#include <kiln/network.hpp>

using broken = kiln::network<double, kiln::dense<2, 4, kiln::sigmoid>, kiln::dense<3, 1, kiln::sigmoid>>;
broken net{};
