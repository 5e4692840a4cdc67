// expect: training_data_holds_a_nan_or_inf
// A NaN in the data would make training diverge; fit() checks the rows first, and inside
// the compiler that is a compile error that names the cause.
#include <kiln/kiln.hpp>

#include <limits>

using net_t = kiln::network<double, kiln::dense<2, 2, kiln::sigmoid>, kiln::dense<2, 1, kiln::identity>>;
constexpr kiln::dataset<double, 2, 2, 1> data{{{{0, 1}, {1}}, {{1, std::numeric_limits<double>::quiet_NaN()}, {0}}}};
constexpr net_t trained = [] {
    auto net = net_t::initialized(kiln::uniform{}, kiln::seed{1});
    kiln::fit(net, data, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 0.1}, {.epochs = 3});
    return net;
}();
