// firmware/footprint_calibration.cpp — footprint.hpp's measurements checked on a function whose cost is known:
// 36 instructions (return included) and 64 bytes of stack.
#include "footprint.hpp"

namespace {

constexpr float inputs[2][1] = {{0}, {1}};
constexpr std::uint32_t expected[2][1] = {{0}, {0}};  // the function writes y[0] = 0

// ARMv6-M instructions only, so the same text runs on both cores.
[[gnu::naked, gnu::noinline]] void infer(const float (&)[1], float (&)[1]) {
    asm volatile(
        "sub sp, #64\n\t"
        "str r0, [sp]\n\t"  // the deepest word touched: 64 bytes below the caller's sp
        "add sp, #64\n\t"
        ".rept 30\n\tnop\n\t.endr\n\t"
        "movs r3, #0\n\t"
        "str r3, [r1]\n\t"
        "bx lr\n");
}

constexpr footprint::known truth{.instructions = 36, .stack_bytes = 64};

} // namespace

int main() { return footprint::run("calibration", infer, inputs, expected, &truth); }
