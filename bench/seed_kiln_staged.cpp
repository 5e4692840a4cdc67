// bench/seed_kiln_staged.cpp — the seed's 10000 epochs through kiln's fit() in four stages, as examples/seed.cpp trains.
//
// Each stage is its own constexpr variable, so its own constant evaluation: it stays within
// the compilers' default limits, and GCC, which keeps every intermediate value of an
// evaluation until it ends, holds a quarter as many at a time.
#include "../examples/seed_network.hpp"

#ifdef KILN_BENCH_TRAIN
constexpr seed::network stage_1 = seed::trained(seed::initial(), 2500);
constexpr seed::network stage_2 = seed::trained(stage_1, 2500);
constexpr seed::network stage_3 = seed::trained(stage_2, 2500);
constexpr seed::network stage_4 = seed::trained(stage_3, 2500);
static_assert(seed::close(stage_4.layer<0>().w[0], seed::numpy::final_weights[0], 1e-12) &&
                  seed::close(stage_4.layer<0>().w[1], seed::numpy::final_weights[1], 1e-12) &&
                  seed::close(stage_4.layer<0>().w[2], seed::numpy::final_weights[2], 1e-12),
              "kiln's fit(), in four stages, reaches NumPy's final weights to 1e-12");
#endif
