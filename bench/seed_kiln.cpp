// bench/seed_kiln.cpp — the seed's training run through kiln's general API: what seed_baseline.cpp costs when written as a user would.
//
// Same problem, same start (NumPy's seed-42 weights, drawn by kiln's mt19937), same
// 10000 full-batch epochs, in one constant evaluation. With -DKILN_BENCH_TRAIN the
// compiler trains and checks NumPy's final weights; without, the file only includes kiln
// and declares the network and data, so the difference is the cost of training
// (template instantiation and evaluation).
#include <kiln/kiln.hpp>

namespace seed_kiln {

using net = kiln::network<double, kiln::dense<3, 1, kiln::sigmoid, kiln::no_bias>>;

inline constexpr kiln::dataset<double, 4, 3, 1> data{{
    {{0, 0, 1}, {0}},
    {{0, 1, 1}, {0}},
    {{1, 0, 1}, {1}},
    {{1, 1, 1}, {1}},
}};

constexpr bool close(double got, double want) { return (got > want ? got - want : want - got) <= 1e-9; }

} // namespace seed_kiln

#ifdef KILN_BENCH_TRAIN
// A named function, not an immediately-invoked lambda: GCC 12 evaluates a lambda
// initialiser twice (README, "Training inside the compiler").
constexpr seed_kiln::net train_seed() {
    kiln::mt19937 e{42};
    auto n = seed_kiln::net::initialized(kiln::uniform{-1, 1}, e);
    kiln::fit(n, seed_kiln::data, kiln::squared_error{}, kiln::sgd{.learning_rate = 1.0}, {.epochs = 10000});
    return n;
}
constexpr seed_kiln::net seed_kiln_trained = train_seed();
static_assert(seed_kiln::close(seed_kiln_trained.layer<0>().w[0], 9.672563032508513) &&
                  seed_kiln::close(seed_kiln_trained.layer<0>().w[1], -0.2081117369575768) &&
                  seed_kiln::close(seed_kiln_trained.layer<0>().w[2], -4.6292614413270865),
              "kiln's fit() reaches NumPy's final weights to 1e-9");
#endif
