// expect: kiln::quantized_dense_params: an int8 layer takes at most 33000 inputs
// Past 33000 inputs the int32 accumulator could overflow.
#include <kiln/quantize.hpp>

constexpr auto size = sizeof(kiln::quantized_dense_params<float, 40000, 1, kiln::identity>);
