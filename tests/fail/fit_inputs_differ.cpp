// expect: the data's rows have a different number of inputs than the network's first layer
// Rows of 3 inputs for a network that takes 2.
#include <kiln/kiln.hpp>

using net_t = kiln::network<double, kiln::dense<2, 1, kiln::sigmoid>>;
constexpr kiln::dataset<double, 2, 3, 1> data{{{{0, 1, 2}, {1}}, {{1, 1, 2}, {0}}}};
void train(net_t& net) { kiln::fit(net, data, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{}); }
