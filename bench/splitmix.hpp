// bench/splitmix.hpp — the benches' deterministic data stream (splitmix64), so every build and compiler sees the same values.
#pragma once

#include <cstdint>

struct splitmix {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        return z ^ (z >> 31);
    }
    /// [0, 1) from the top 24 bits: exact in float.
    float unit_float() { return float(next() >> 40) * 0x1p-24f; }
    /// [0, 1) from the top 53 bits: exact in double.
    double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
};
