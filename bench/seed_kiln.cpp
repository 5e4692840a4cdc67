// bench/seed_kiln.cpp — the seed's training run through kiln's general API: what seed_baseline.cpp costs when written as a user would.
//
// Same problem, same start (NumPy's seed-42 weights, drawn by kiln's mt19937), same
// 10000 full-batch epochs, in one constant evaluation: the network, data and training
// of examples/seed_network.hpp. With -DKILN_BENCH_TRAIN the compiler trains and checks
// NumPy's final weights; without, the file only includes and declares, so the difference
// is the cost of training (template instantiation and evaluation).
#include "../examples/seed_network.hpp"

#ifdef KILN_BENCH_TRAIN
// The training call is the initialiser itself: wrapped in another constexpr function, or
// in an immediately-invoked lambda, GCC 12 evaluates it twice (README, "Training inside the
// compiler").
constexpr seed::network seed_kiln_trained = seed::trained(seed::initial(), seed::epochs);
static_assert(seed::close(seed_kiln_trained.layer<0>().w[0], seed::numpy::final_weights[0], 1e-12) &&
                  seed::close(seed_kiln_trained.layer<0>().w[1], seed::numpy::final_weights[1], 1e-12) &&
                  seed::close(seed_kiln_trained.layer<0>().w[2], seed::numpy::final_weights[2], 1e-12),
              "kiln's fit() reaches NumPy's final weights to 1e-12");
#endif
