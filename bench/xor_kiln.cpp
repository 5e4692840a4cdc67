// bench/xor_kiln.cpp — XOR 2-4-1 trained by the compiler through kiln's API: a two-layer network's compile-time cost.
//
// tanh hidden layer, sigmoid output, binary cross-entropy summed over the full batch
// (fused with the sigmoid: dL/dz = p - y), sgd with learning rate 4, weights uniform in
// [-2, 2) from kiln::seed{41}. The seed, range and rate were picked by a run-time search
// (the same code gives the same bits at run time) as the fewest epochs that bring every
// output within 0.1 of its target: 7. With -DKILN_BENCH_TRAIN the compiler trains and
// checks that; without, the file only declares the network and data.
#include <kiln/kiln.hpp>

namespace xor_kiln {

// "struct": while the function kiln::tanh exists beside the activation, it hides its name.
using net = kiln::network<double, kiln::dense<2, 4, struct kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;

inline constexpr kiln::dataset<double, 4, 2, 1> data{{
    {{0, 0}, {0}},
    {{0, 1}, {1}},
    {{1, 0}, {1}},
    {{1, 1}, {0}},
}};

inline constexpr std::size_t epochs = 7;

constexpr bool within(double got, double want) { return (got > want ? got - want : want - got) < 0.1; }

} // namespace xor_kiln

#ifdef KILN_BENCH_TRAIN
constexpr xor_kiln::net train_xor() {
    auto n = xor_kiln::net::initialized(kiln::uniform{-2, 2}, kiln::seed{41});
    kiln::fit(n, xor_kiln::data, kiln::binary_cross_entropy{.reduction = kiln::reduction::sum},
              kiln::sgd{.learning_rate = 4.0}, {.epochs = xor_kiln::epochs});
    return n;
}
constexpr xor_kiln::net xor_kiln_trained = train_xor();
static_assert(xor_kiln::within(xor_kiln_trained.predict({0, 0})[0], 0), "XOR(0, 0) is learned to within 0.1");
static_assert(xor_kiln::within(xor_kiln_trained.predict({0, 1})[0], 1), "XOR(0, 1) is learned to within 0.1");
static_assert(xor_kiln::within(xor_kiln_trained.predict({1, 0})[0], 1), "XOR(1, 0) is learned to within 0.1");
static_assert(xor_kiln::within(xor_kiln_trained.predict({1, 1})[0], 0), "XOR(1, 1) is learned to within 0.1");
#endif
