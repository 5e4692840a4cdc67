// expect: training_data_has_no_rows
// Training on no rows at all is a mistake, not a training that completed: inside the compiler
// it is a compile error that names the cause (at run time, fit_status::no_data).
#include <kiln/kiln.hpp>

using net_t = kiln::network<double, kiln::dense<2, 1, kiln::sigmoid>>;
constexpr net_t train() {
    auto net = net_t::initialized(kiln::uniform{}, kiln::seed{1});
    kiln::fit(net, kiln::dataset_view<double, 2, 1>{}, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{}, {.epochs = 3});
    return net;
}
constexpr net_t trained = train();
