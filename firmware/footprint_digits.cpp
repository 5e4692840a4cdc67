// firmware/footprint_digits.cpp — an inference-only image of the baked 64-32-10 digits network (footprint.hpp).
#include "footprint.hpp"
#include "kiln_expected.hpp"
#include "networks/digits.hpp"

namespace {

[[gnu::noinline]] void infer(const float (&x)[64], float (&y)[10]) {
    if constexpr (!footprint::baseline) firmware::digits::net.predict(x, y);
}

} // namespace

int main() { return footprint::run("digits 64-32-10", infer, firmware::digits::sample_inputs, expected::digits_outputs); }
