// expect: a network needs at least one layer
// A network of no layers has no inputs or outputs to speak of.
#include <kiln/network.hpp>

kiln::network<double> empty{};
