// expect: the rows must be writable samples of the scaler's value type with as many inputs as it has columns
// A scaler of 3 columns applied to rows of 2 inputs.
#include <kiln/scale.hpp>

constexpr bool misuse() {
    kiln::sample<float, 2, 1> rows[1]{};
    kiln::scaler<float, 3>::identity().apply_to(rows);
    return true;
}
static_assert(misuse());
