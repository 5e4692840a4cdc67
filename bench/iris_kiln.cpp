// bench/iris_kiln.cpp — what examples/iris.cpp's training costs the compiler: the same network, data and options.
//
// iris_data.hpp is the header kiln_bake_csv() generates from examples/data/iris.csv
// (compile_cost.sh bakes it with tools/bake_csv). With -DKILN_BENCH_TRAIN the compiler
// trains and checks the held-out accuracy; without, the file only declares.
#include <kiln/kiln.hpp>

#include "iris_data.hpp"

using iris_net = kiln::network<float, kiln::dense<4, 8, kiln::relu>, kiln::dense<8, 3, kiln::softmax>>;

#ifdef KILN_BENCH_TRAIN
constexpr iris_net train_iris() {
    auto net = iris_net::initialized(kiln::he_uniform{}, kiln::seed{1});
    kiln::fit(net, iris_train, kiln::softmax_cross_entropy{}, kiln::adam{.learning_rate = 0.02},
              {.epochs = 30, .batch_size = 16, .shuffle = true, .seed = kiln::seed{1}});
    return net;
}
constexpr iris_net iris_trained = train_iris();
static_assert(kiln::accuracy(iris_trained, iris_test) >= 0.96);
#endif
