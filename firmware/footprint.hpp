// firmware/footprint.hpp — measures one inference on the target: its stack depth and its instruction count.
//
// An image built on this calls nothing but the network (inference only) and checks each
// output against the host's bits. Its twin built with KILN_FOOTPRINT_BASELINE=1 is the
// same program whose inference does nothing: bench/footprint.sh takes the difference of
// the two images' sizes as the network's flash and RAM.
//
// Stack: everything below main's stack pointer is painted with a pattern before the call
// (the loop runs in main's own frame), and the deepest word no longer holding it after the
// call gives the depth, return address and saved registers included.
// Instructions: QEMU has no cycle counter, but with `-icount` its virtual clock advances
// by a fixed step per instruction and SysTick counts that clock. The ticks of 50 calls of a
// block of 200 nops, minus those of 50 calls of an empty function, are the ticks of exactly
// 10000 instructions; the ticks of an inference minus those of a call to an empty function
// (one instruction, its return) convert at that rate. Without -icount the count is
// meaningless (SysTick then follows the host's clock); bench/footprint.sh passes it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tally.hpp"

#ifndef KILN_FOOTPRINT_BASELINE
#define KILN_FOOTPRINT_BASELINE 0
#endif

extern "C" std::uint32_t __stack_limit[];

namespace footprint {

/// Whether this is the baseline image: its inference does nothing.
inline constexpr bool baseline = KILN_FOOTPRINT_BASELINE != 0;

namespace detail {

inline volatile std::uint32_t* const systick = reinterpret_cast<volatile std::uint32_t*>(0xE000E010);
inline constexpr std::uint32_t paint = 0x5A17C0DE;

[[gnu::noinline]] inline void nop_block() { asm volatile(".rept 200\n\tnop\n\t.endr"); }
[[gnu::noinline]] inline void empty_block() { asm volatile(""); }

// SysTick counts down from 2^24 - 1 and wraps: a difference is taken modulo 2^24.
inline std::uint32_t ticks_now() { return systick[2]; }
inline std::uint32_t elapsed(std::uint32_t from, std::uint32_t to) { return (from - to) & 0xFFFFFF; }

[[gnu::noinline]] inline std::uint32_t ticks_of_50(void (*block)()) {
    void (*volatile f)() = block;
    const std::uint32_t t0 = ticks_now();
    for (int i = 0; i < 50; ++i) f();
    return elapsed(t0, ticks_now());
}

/// What ticks_of_call gives when SysTick wrapped during the call: too long to count.
inline constexpr std::uint32_t overflow = 0xFFFFFFFF;

// One call of f, timed; the same code for the network and for the empty function, so the
// difference of their ticks is that of the two functions' own instructions. The counter is
// restarted at its top first (writing CVR zeroes it and clears COUNTFLAG; the next tick
// reloads it), so a call has the whole 24-bit range and COUNTFLAG tells if it ran past it.
template <class X, class Y, std::size_t In, std::size_t Out>
[[gnu::noinline]] std::uint32_t ticks_of_call(void (*f)(const X (&)[In], Y (&)[Out]), const X (&x)[In], Y (&y)[Out]) {
    systick[2] = 0;
    while (systick[2] == 0) {
    }
    const std::uint32_t t0 = ticks_now();
    f(x, y);
    const std::uint32_t t1 = ticks_now();
    return systick[0] & (1u << 16) ? overflow : elapsed(t0, t1);
}

inline std::uint32_t* stack_pointer() {
    std::uint32_t* sp;
    asm volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

} // namespace detail

/// What a calibration image knows of its function: then run() checks its own measurements.
struct known {
    std::uint32_t instructions = 0, stack_bytes = 0;
};

/// Runs `infer` on each row of `inputs`, checks its outputs against `expected` (the host's
/// bits) and, given `truth`, the measurements against it; prints "footprint <name>: stack
/// <bytes> bytes, instructions <min> to <max>" and the tally line; main's result.
template <class X, class Y, std::size_t Rows, std::size_t In, std::size_t Out>
int run(const char* name, void (*infer)(const X (&)[In], Y (&)[Out]), const X (&inputs)[Rows][In],
        const std::uint32_t (&expected)[Rows][Out], const known* truth = nullptr) {
    using detail::systick;
    systick[1] = 0xFFFFFF;  // reload
    systick[2] = 0;         // clear the count
    systick[0] = 5;         // enable, counting the processor clock, no interrupt

    void (*volatile call)(const X (&)[In], Y (&)[Out]) = infer;  // never inlined or specialised
    X x[In];
    Y y[Out]{};
    const volatile X* in = inputs[0];
    for (std::size_t i = 0; i < In; ++i) x[i] = in[i];

    // Stack depth of one call: paint below sp, call, find the deepest changed word.
    std::uint32_t* const sp = detail::stack_pointer();
    for (volatile std::uint32_t* p = __stack_limit; p < sp; ++p) *p = detail::paint;
    call(x, y);
    const volatile std::uint32_t* deepest = __stack_limit;
    while (deepest < sp && *deepest == detail::paint) ++deepest;
    const auto stack_bytes = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(sp) - reinterpret_cast<std::uintptr_t>(deepest));

    const std::uint32_t per_10000 = detail::ticks_of_50(detail::nop_block) - detail::ticks_of_50(detail::empty_block);
    void (*volatile empty)(const X (&)[In], Y (&)[Out]) = [](const X (&)[In], Y (&)[Out]) {};
    const std::uint32_t empty_ticks = detail::ticks_of_call(empty, x, y);

    firmware::tally t;
    std::uint32_t least = 0xFFFFFFFF, most = 0;
    for (std::size_t r = 0; r < Rows; ++r) {
        in = inputs[r];
        for (std::size_t i = 0; i < In; ++i) x[i] = in[i];
        const std::uint32_t ticks = detail::ticks_of_call(call, x, y);
        t.expect(ticks != detail::overflow && empty_ticks != detail::overflow,
                 "an inference short enough to count with SysTick's 24 bits, row", r);
        // Rounded to the nearest instruction; + 1 for the empty function's own return.
        const std::uint64_t scaled = (static_cast<std::uint64_t>(ticks - empty_ticks) * 10000 + per_10000 / 2);
        const auto n = static_cast<std::uint32_t>(per_10000 ? scaled / per_10000 + 1 : 0);
        least = n < least ? n : least;
        most = n > most ? n : most;
        // The baseline compares too (and fails; it is measured, never run as a test), so that
        // the two images differ by the network alone.
        for (std::size_t o = 0; o < Out; ++o) t.expect_bits(y[o], expected[r][o], "output (row * outputs + output)", r * Out + o);
    }
    if (truth) {
        t.expect(least == truth->instructions && most == truth->instructions, "the instruction count of a known function");
        t.expect(stack_bytes == truth->stack_bytes, "the stack depth of a known function");
    }
    firmware::print("footprint ");
    firmware::print(name);
    firmware::print(": stack ");
    firmware::print(stack_bytes);
    firmware::print(" bytes, instructions ");
    firmware::print(least);
    firmware::print(" to ");
    firmware::print(most);
    firmware::print("\n");
    return t.finish();
}

} // namespace footprint
