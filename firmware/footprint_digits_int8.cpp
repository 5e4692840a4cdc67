// firmware/footprint_digits_int8.cpp — an inference-only image of the int8 digits network (footprint.hpp).
#include "footprint.hpp"
#include "kiln_expected.hpp"
#include "networks/digits_int8.hpp"

namespace {

[[gnu::noinline]] void infer(const std::int8_t (&x)[64], std::int8_t (&y)[10]) {
    if constexpr (!footprint::baseline) firmware::digits::int8_net.predict(x, y);
}

} // namespace

int main() { return footprint::run("digits int8 64-32-10", infer, firmware::digits::int8_sample_inputs, expected::digits_int8_outputs); }
