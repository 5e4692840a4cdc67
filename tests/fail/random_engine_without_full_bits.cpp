// expect: a random engine must produce 32 or 64 full random bits
// An engine of 16-bit outputs would leave the draws' high bits constant.
#include <kiln/random.hpp>

#include <cstdint>

struct sixteen_bits {
    using result_type = std::uint32_t;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return 0xffff; }
    constexpr result_type operator()() { return state = (state * 75 + 74) % 65537 & 0xffff; }
    result_type state = 1;
};

double draw() {
    sixteen_bits e;
    return kiln::uniform_real<double>(e, 0.0, 1.0);
}
