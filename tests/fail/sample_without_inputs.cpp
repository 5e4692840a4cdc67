// expect: a sample needs at least one input and one target
// A labelled sample of no inputs cannot feed any network.
#include <kiln/dataset.hpp>

kiln::sample<double, 0, 1> nothing{};
