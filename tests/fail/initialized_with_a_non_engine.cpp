// expect: bit_engine
// initialized(init, engine) takes a random engine (or a kiln::seed); anything else is refused
// by the engine concept, in one line that names it.
#include <kiln/kiln.hpp>

using net_t = kiln::network<double, kiln::dense<2, 1, kiln::sigmoid>>;
int not_an_engine = 42;
const net_t net = net_t::initialized(kiln::uniform{}, not_an_engine);
