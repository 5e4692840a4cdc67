// firmware/footprint_xor.cpp — an inference-only image of the compiler-trained XOR 2-4-1 network (footprint.hpp).
#include "footprint.hpp"
#include "kiln_expected.hpp"
#include "networks/xor.hpp"

namespace {

constexpr firmware::xor_net::net_type xor_trained = firmware::xor_net::train(firmware::xor_net::data, 2);

constexpr float inputs[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

[[gnu::noinline]] void infer(const float (&x)[2], float (&y)[1]) {
    if constexpr (!footprint::baseline) xor_trained.predict(x, y);
}

} // namespace

int main() { return footprint::run("xor 2-4-1", infer, inputs, expected::xor_outputs); }
