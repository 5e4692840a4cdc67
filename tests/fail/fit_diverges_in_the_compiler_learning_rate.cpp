// expect: training_diverged_a_loss_or_weight_became_nan_or_inf
// Linear regression with a far too large step: the weights grow each epoch until they
// overflow. Inside the compiler that must be a compile error that names the cause.
#include <kiln/kiln.hpp>

using net_t = kiln::network<double, kiln::dense<2, 1, kiln::identity>>;
constexpr kiln::dataset<double, 4, 2, 1> data{{{{0, 0}, {0}}, {{0, 1}, {1}}, {{1, 0}, {1}}, {{1, 1}, {0}}}};
constexpr net_t trained = [] {
    auto net = net_t::initialized(kiln::uniform{}, kiln::seed{7});
    kiln::fit(net, data, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 100}, {.epochs = 1000});
    return net;
}();
