// firmware/tally.hpp — counts a firmware test's checks and ends with the "N passed, M failed" line its CTest run requires.
#pragma once

#include <bit>
#include <cstdint>

#include "semihosting.hpp"

namespace firmware {

/// One value's bit pattern, as the host's expected-values header spells them: a float's IEEE
/// bits, an int8's two's-complement byte.
inline std::uint32_t bits(float v) { return std::bit_cast<std::uint32_t>(v); }
inline std::uint32_t bits(std::int8_t v) { return std::bit_cast<std::uint8_t>(v); }

struct tally {
    std::uint32_t passed = 0, failed = 0;

    /// Counts `ok`; a failure prints what failed (and which item, when several).
    void expect(bool ok, const char* what, std::uint32_t item = 0) {
        if (ok) {
            ++passed;
            return;
        }
        ++failed;
        print("FAILED: ");
        print(what);
        print(" #");
        print(item);
        print("\n");
    }
    /// Passes when `got` holds exactly the bits `want`; a failure prints both patterns.
    template <class V>
    void expect_bits(V got, std::uint32_t want, const char* what, std::uint32_t item) {
        expect(bits(got) == want, what, item);
        if (bits(got) != want) {
            print("  got ");
            print_hex(bits(got));
            print(", the host computed ");
            print_hex(want);
            print("\n");
        }
    }
    /// Prints the closing line and gives main's result: 0 only when nothing failed.
    int finish() const {
        print(passed);
        print(" passed, ");
        print(failed);
        print(" failed\n");
        return failed == 0 ? 0 : 1;
    }
};

} // namespace firmware
