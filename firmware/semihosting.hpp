// firmware/semihosting.hpp — text out and exit through Arm semihosting (QEMU, a debug probe).
//
// Integers only: no printf, so no formatting code and no float support is linked in.
// `bkpt 0xab` traps to the host with r0 = operation and r1 = its argument.
#pragma once

#include <cstdint>

namespace firmware {

inline std::uint32_t semihost(std::uint32_t op, const void* arg) {
    register std::uint32_t r0 asm("r0") = op;
    register const void* r1 asm("r1") = arg;
    asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/// SYS_WRITE0: a NUL-terminated string to the host's console.
inline void print(const char* s) { semihost(0x04, s); }

/// An unsigned number in decimal.
inline void print(std::uint32_t v) {
    char buf[11];
    char* p = buf + sizeof buf;
    *--p = '\0';
    do *--p = static_cast<char>('0' + v % 10); while (v /= 10);
    print(p);
}

/// A 32-bit pattern as 0x followed by 8 hex digits.
inline void print_hex(std::uint32_t v) {
    char buf[11] = {'0', 'x'};
    for (int i = 0; i < 8; ++i) buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
    buf[10] = '\0';
    print(buf);
}

/// SYS_EXIT_EXTENDED: ends the program with this exit status (QEMU exits with it).
[[noreturn]] inline void exit(int status) {
    const std::uint32_t block[2] = {0x20026 /* ADP_Stopped_ApplicationExit */, static_cast<std::uint32_t>(status)};
    semihost(0x20, block);
    for (;;) asm volatile("bkpt 0");  // no host: stop here
}

} // namespace firmware
