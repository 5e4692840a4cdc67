// firmware/digits_int8_test.cpp — the int8 digits network (networks/digits_int8.hpp) classifies its ten
// held-out rows on the target in integer arithmetic, with exactly the host's int8 outputs.
#include "digits_check.hpp"
#include "kiln_expected.hpp"
#include "networks/digits_int8.hpp"

int main() {
    return firmware::check_digits(firmware::digits::int8_net, firmware::digits::int8_sample_inputs,
                                  expected::digits_int8_outputs, "int8 digit", "int8 digits output (row * 10 + class)");
}
