// expect: the data's targets have a different width than the network's last layer
// One-hot targets of 3 classes for a network with 2 outputs.
#include <kiln/kiln.hpp>

using net_t = kiln::network<double, kiln::dense<2, 2, kiln::softmax>>;
constexpr kiln::dataset<double, 2, 2, 3> data{{{{0, 1}, {1, 0, 0}}, {{1, 1}, {0, 0, 1}}}};
void train(net_t& net) { kiln::fit(net, data, kiln::softmax_cross_entropy{}, kiln::sgd{}); }
