// expect: this loss cannot follow the output layer's activation
// softmax_cross_entropy's gradient a - y holds only after a softmax output, not a sigmoid one.
#include <kiln/kiln.hpp>

using net_t = kiln::network<double, kiln::dense<2, 2, kiln::sigmoid>>;
constexpr kiln::dataset<double, 2, 2, 2> data{{{{0, 1}, {1, 0}}, {{1, 1}, {0, 1}}}};
void train(net_t& net) { kiln::fit(net, data, kiln::softmax_cross_entropy{}, kiln::sgd{}); }
