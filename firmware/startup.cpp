// firmware/startup.cpp — what runs before main on the Cortex-M boards: vector table, reset, faults.
//
// The reset handler does what a C++ program expects before main (copy .data from flash,
// zero .bss, run the constructors in .init_array), enables the FPU where there is one,
// and reports main's result to the host by semihosting. Every fault lands in one handler
// that prints the faulting pc and exits non-zero, so a broken build fails its test
// instead of hanging until the timeout.
#include <cstdint>

#include "semihosting.hpp"

// The program's main, under another name: C++ forbids calling main itself.
extern "C" int application_main() asm("main");

// Defined by the linker script (ld/sections.ld).
extern "C" {
extern std::uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern void (*__init_array_start[])(), (*__init_array_end[])();
extern std::uint32_t __stack_top[];
}

namespace {

[[noreturn]] void reset() {
    // Word loops through volatile pointers: GCC would otherwise turn them into memcpy and
    // memset calls, which are allowed to rely on a C runtime that is not set up yet.
    volatile std::uint32_t* d = __data_start;
    for (const std::uint32_t* s = __data_load; d < __data_end;) *d++ = *s++;
    for (volatile std::uint32_t* b = __bss_start; b < __bss_end;) *b++ = 0;
#if defined(__ARM_FP)
    // CPACR: full access to coprocessors 10 and 11 (the FPU); without it the first float
    // instruction faults. The barriers make the new access rights apply to what follows.
    *reinterpret_cast<volatile std::uint32_t*>(0xE000ED88) |= 0xFu << 20;
    asm volatile("dsb\n\tisb" ::: "memory");
#endif
    for (auto f = __init_array_start; f < __init_array_end; ++f) (*f)();
    firmware::exit(application_main());
}

// The exception frame the core pushed holds the faulting pc in its seventh word.
extern "C" [[noreturn, gnu::used]] void fault_report(const std::uint32_t* frame) {
    firmware::print("fault: pc ");
    firmware::print_hex(frame[6]);
    firmware::print("\n");
    firmware::exit(70);
}

// Finds the frame on whichever stack was in use (bit 2 of lr, EXC_RETURN), then reports.
// Written for ARMv6-M, which the ARMv7-M cores also run.
[[gnu::naked, noreturn]] void fault() {
    asm volatile(
        "mov r0, lr\n\t"
        "movs r1, #4\n\t"
        "tst r0, r1\n\t"
        "bne 1f\n\t"
        "mrs r0, msp\n\t"
        "b fault_report\n"
        "1:\n\t"
        "mrs r0, psp\n\t"
        "b fault_report\n");
}

[[noreturn]] void unexpected_interrupt() {
    firmware::print("fault: unexpected interrupt\n");
    firmware::exit(71);
}

using handler = void (*)();

} // namespace

// Initial stack pointer, then reset and the 14 system exceptions (0 = reserved), then
// enough external interrupt slots for both boards. KEEP in the linker script holds it at 0.
extern "C" [[gnu::section(".vectors"), gnu::used]] const handler vector_table[16 + 32] = {
    reinterpret_cast<handler>(__stack_top),
    reset,
    fault,  // NMI
    fault,  // HardFault
    fault,  // MemManage
    fault,  // BusFault
    fault,  // UsageFault
    nullptr, nullptr, nullptr, nullptr,
    unexpected_interrupt,  // SVCall
    unexpected_interrupt,  // DebugMonitor
    nullptr,
    unexpected_interrupt,  // PendSV
    unexpected_interrupt,  // SysTick (measurements read it, never enable its interrupt)
    unexpected_interrupt, unexpected_interrupt, unexpected_interrupt, unexpected_interrupt,
    unexpected_interrupt, unexpected_interrupt, unexpected_interrupt, unexpected_interrupt,
    unexpected_interrupt, unexpected_interrupt, unexpected_interrupt, unexpected_interrupt,
    unexpected_interrupt, unexpected_interrupt, unexpected_interrupt, unexpected_interrupt,
    unexpected_interrupt, unexpected_interrupt, unexpected_interrupt, unexpected_interrupt,
    unexpected_interrupt, unexpected_interrupt, unexpected_interrupt, unexpected_interrupt,
    unexpected_interrupt, unexpected_interrupt, unexpected_interrupt, unexpected_interrupt,
    unexpected_interrupt, unexpected_interrupt, unexpected_interrupt, unexpected_interrupt,
};
