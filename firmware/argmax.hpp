// firmware/argmax.hpp — the class a network's outputs pick, and the line the digits images print for it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "semihosting.hpp"

namespace firmware {

/// The index of the largest output (the first of equals).
template <class V, std::size_t N>
std::uint32_t argmax(const V (&y)[N]) {
    std::uint32_t best = 0;
    for (std::uint32_t o = 1; o < N; ++o)
        if (y[o] > y[best]) best = o;
    return best;
}

/// Prints "<what> row <r>: class <argmax> (label <label>)".
template <class V, std::size_t N>
void print_class(const char* what, std::uint32_t row, const V (&y)[N], std::uint32_t label) {
    print(what);
    print(" row ");
    print(row);
    print(": class ");
    print(argmax(y));
    print(" (label ");
    print(label);
    print(")\n");
}

} // namespace firmware
