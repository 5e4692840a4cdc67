// expect: the data's value type \(float or double\) differs from the network's
// float data cannot train a double network (no silent conversion per sample).
#include <kiln/kiln.hpp>

using net_t = kiln::network<double, kiln::dense<2, 1, kiln::sigmoid>>;
constexpr kiln::dataset<float, 2, 2, 1> data{{{{0, 1}, {1}}, {{1, 1}, {0}}}};
void train(net_t& net) { kiln::fit(net, data, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{}); }
