// firmware/digits_test.cpp — the baked 64-32-10 digits network (networks/digits.hpp) classifies its ten
// held-out rows on the target with exactly the host's output bits.
#include <cstdint>

#include "argmax.hpp"
#include "kiln_expected.hpp"
#include "networks/digits.hpp"
#include "tally.hpp"

int main() {
    using namespace firmware::digits;
    firmware::tally t;
    for (std::uint32_t r = 0; r < sample_count; ++r) {
        float x[64], y[10];
        const volatile float* in = sample_inputs[r];
        for (std::size_t i = 0; i < 64; ++i) x[i] = in[i];
        net.predict(x, y);
        for (std::uint32_t o = 0; o < 10; ++o)
            t.expect_bits(y[o], expected::digits_outputs[r][o], "digits output (row * 10 + class)", r * 10 + o);
        firmware::print_class("digit", r, y, static_cast<std::uint32_t>(sample_labels[r]));
    }
    return t.finish();
}
