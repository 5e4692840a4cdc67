// firmware/digits_int8_test.cpp — the int8 digits network (networks/digits_int8.hpp) classifies its ten
// held-out rows on the target in integer arithmetic, with exactly the host's int8 outputs.
#include <cstdint>

#include "argmax.hpp"
#include "kiln_expected.hpp"
#include "networks/digits_int8.hpp"
#include "tally.hpp"

int main() {
    using namespace firmware::digits;
    firmware::tally t;
    for (std::uint32_t r = 0; r < sample_count; ++r) {
        std::int8_t x[64], y[10];
        const volatile std::int8_t* in = int8_sample_inputs[r];
        for (std::size_t i = 0; i < 64; ++i) x[i] = in[i];
        int8_net.predict(x, y);
        for (std::uint32_t o = 0; o < 10; ++o)
            t.expect_bits(y[o], expected::digits_int8_outputs[r][o], "int8 digits output (row * 10 + class)", r * 10 + o);
        firmware::print_class("int8 digit", r, y, static_cast<std::uint32_t>(sample_labels[r]));
    }
    return t.finish();
}
