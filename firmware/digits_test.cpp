// firmware/digits_test.cpp — the baked 64-32-10 digits network (networks/digits.hpp) classifies its ten
// held-out rows on the target with exactly the host's output bits.
#include "digits_check.hpp"
#include "kiln_expected.hpp"
#include "networks/digits.hpp"

int main() {
    return firmware::check_digits(firmware::digits::net, firmware::digits::sample_inputs, expected::digits_outputs, "digit",
                                  "digits output (row * 10 + class)");
}
