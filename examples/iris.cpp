// examples/iris.cpp — a real data set learned inside the compiler: Fisher's iris, 4-8-3, softmax + cross-entropy.
//
// iris_data.hpp is generated from examples/data/iris.csv at build time (tools/bake_csv.cpp,
// through kiln_bake_csv() in CMake) with the agreed split: row i is held out when i % 5 == 4,
// leaving 120 rows to train on and 30 to test. The training below runs while this file
// compiles; the static_assert fails the build if the held-out accuracy is below 0.96.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <kiln/kiln.hpp>

#include "iris_data.hpp"

using iris_net = kiln::network<float, kiln::dense<4, 8, kiln::relu>, kiln::dense<8, 3, kiln::softmax>>;

inline constexpr kiln::fit_options iris_training{.epochs = 30, .batch_size = 16, .shuffle = true, .seed = kiln::seed{1}};

constexpr iris_net train_iris(kiln::seed init_seed) {
    auto net = iris_net::initialized(kiln::he_uniform{}, init_seed);
    kiln::fit(net, iris_train, kiln::softmax_cross_entropy{}, kiln::adam{.learning_rate = 0.02}, iris_training);
    return net;
}

constexpr iris_net trained = train_iris(kiln::seed{1});

static_assert(kiln::accuracy(trained, iris_test) >= 0.96, "the compiler-trained network classifies >= 96% of the held-out rows");

int main() {
    constexpr double test_accuracy = kiln::accuracy(trained, iris_test);
    constexpr double train_accuracy = kiln::accuracy(trained, iris_train);
    std::printf("iris learned by the compiler (4-8-3, relu then softmax, Adam, 30 epochs of batches of 16):\n");
    std::printf("  accuracy on the 120 training rows: %.4f\n", train_accuracy);
    std::printf("  accuracy on the 30 held-out rows:  %.4f\n", test_accuracy);

    constexpr kiln::confusion_matrix confusion(trained, iris_test);
    std::printf("  held-out confusion (rows: true setosa, versicolor, virginica):\n");
    for (std::size_t t = 0; t < 3; ++t) std::printf("    %zu %zu %zu\n", confusion(t, 0), confusion(t, 1), confusion(t, 2));

    // The same training at run time holds the same bits. The seed comes through a volatile:
    // with constant arguments GCC would run this call in the compiler too.
    volatile std::uint64_t seed_at_run_time = 1;
    const iris_net run_time = train_iris(kiln::seed{seed_at_run_time});
    const bool same = std::memcmp(&run_time, &trained, sizeof trained) == 0;
    std::printf("  run-time training gives %s weights\n", same ? "bit-identical" : "DIFFERENT");
    return same && test_accuracy >= 0.96 ? 0 : 1;
}
