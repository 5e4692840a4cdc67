// firmware/control_hidden.cpp — a control for check_image.cmake: an image that breaks its rules on
// purpose (a function named malloc, double arithmetic, weights in RAM), whose check must fail and name each.
#include <cstddef>

#include "networks/digits.hpp"

// Mutable, so .data (RAM, plus a flash copy for the reset handler to load it from).
constinit firmware::digits::net_type weights_in_ram = firmware::digits::net;

extern "C" [[gnu::noinline]] void* malloc(std::size_t) { return &weights_in_ram; }

int main() {
    auto* net = static_cast<firmware::digits::net_type*>(malloc(sizeof weights_in_ram));
    float x[64]{}, y[10];
    net->predict(x, y);
    volatile double d = y[0];
    return d * d > 2 ? 1 : 0;
}
