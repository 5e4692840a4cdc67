// firmware/digits_check.hpp — the main of the digits images: each held-out row through the
// network on the target, every output's bits against the host's, and the class it picks.
#pragma once

#include <cstddef>
#include <cstdint>

#include "argmax.hpp"
#include "networks/digits.hpp"
#include "tally.hpp"

namespace firmware {

/// Runs `net` on each of the digits rows `inputs` (read through volatile, so the compiler
/// cannot run the network itself), checks every output against `expected` bit for bit
/// (failures name `what_outputs` and row * 10 + class) and prints each row's class as `what`.
/// Returns the tally's exit status.
template <class V, class Net, class Want>
int check_digits(const Net& net, const V (&inputs)[digits::sample_count][64], const Want& expected, const char* what,
                 const char* what_outputs) {
    tally t;
    for (std::uint32_t r = 0; r < digits::sample_count; ++r) {
        V x[64], y[10];
        const volatile V* in = inputs[r];
        for (std::size_t i = 0; i < 64; ++i) x[i] = in[i];
        net.predict(x, y);
        for (std::uint32_t o = 0; o < 10; ++o) t.expect_bits(y[o], expected[r][o], what_outputs, r * 10 + o);
        print_class(what, r, y, static_cast<std::uint32_t>(digits::sample_labels[r]));
    }
    return t.finish();
}

} // namespace firmware
