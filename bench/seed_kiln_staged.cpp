// bench/seed_kiln_staged.cpp — the seed's 10000 epochs through kiln's fit() in four stages, as examples/seed.cpp trains.
//
// Each stage is its own constexpr variable, so its own constant evaluation: it stays within
// the compilers' default limits, and GCC, which keeps every intermediate value of an
// evaluation until it ends, holds a quarter as many at a time.
#include <kiln/kiln.hpp>

namespace seed_staged {

using net = kiln::network<double, kiln::dense<3, 1, kiln::sigmoid, kiln::no_bias>>;

inline constexpr kiln::dataset<double, 4, 3, 1> data{{
    {{0, 0, 1}, {0}},
    {{0, 1, 1}, {0}},
    {{1, 0, 1}, {1}},
    {{1, 1, 1}, {1}},
}};

constexpr net stage(net n, std::size_t epochs) {
    kiln::fit(n, data, kiln::squared_error{}, kiln::sgd{.learning_rate = 1.0}, {.epochs = epochs});
    return n;
}
constexpr net initial() {
    kiln::mt19937 e{42};
    return net::initialized(kiln::uniform{-1, 1}, e);
}
constexpr bool close(double got, double want) { return (got > want ? got - want : want - got) <= 1e-9; }

} // namespace seed_staged

#ifdef KILN_BENCH_TRAIN
constexpr seed_staged::net stage_1 = seed_staged::stage(seed_staged::initial(), 2500);
constexpr seed_staged::net stage_2 = seed_staged::stage(stage_1, 2500);
constexpr seed_staged::net stage_3 = seed_staged::stage(stage_2, 2500);
constexpr seed_staged::net stage_4 = seed_staged::stage(stage_3, 2500);
static_assert(seed_staged::close(stage_4.layer<0>().w[0], 9.672563032508513) &&
                  seed_staged::close(stage_4.layer<0>().w[1], -0.2081117369575768) &&
                  seed_staged::close(stage_4.layer<0>().w[2], -4.6292614413270865),
              "kiln's fit(), in four stages, reaches NumPy's final weights to 1e-9");
#endif
