// examples/digits_firmware.cpp — firmware-shaped code around a network trained at run time and baked at build time.
//
// digits_net.hpp is written during the build by the digits trainer (examples/digits.cpp run
// with --header, through kiln_generate_header() in CMake): the trained 64-32-10 network as
// constexpr data. digits_data.hpp holds examples/data/digits.csv baked by kiln_bake_csv()
// with the agreed split (row i held out when i % 5 == 4: 359 rows). This file trains
// nothing: the compiler checks that the baked network still classifies the held-out rows as
// well as the trainer said, and the firmware's one entry point, classify(), is a plain
// forward pass over weights in read-only memory (no heap, no I/O, no exceptions).
#include <array>
#include <cstddef>
#include <cstdio>

#include <kiln/metrics.hpp>

#include "digits_data.hpp"
#include "digits_net.hpp"

// Run by the compiler over the 359 held-out rows: a header that was trained worse, or baked
// wrong, stops the firmware build here. The trainer (digits_example --seed 1) measured
// 0.9972 on these rows (358 of 359); the bound allows one more miss.
// (One constant, evaluated once: main() prints the same one.)
constexpr double held_out_accuracy = kiln::accuracy(digits_net, digits_test);
static_assert(held_out_accuracy >= 0.994, "the baked digits network classifies at least 99.4% of the 359 held-out rows");

/// The digit (0-9) an 8x8 image shows: 64 pixel values, each 0..16 scaled by 1/16.
int classify(const std::array<float, 64>& pixels) {
    const auto p = digits_net.predict(pixels);
    int best = 0;
    for (int d = 1; d < 10; ++d)
        if (p[static_cast<std::size_t>(d)] > p[static_cast<std::size_t>(best)]) best = d;
    return best;
}

int main() {
    // The same rows through classify() at run time (the count through a volatile, so the
    // compiler cannot work the answer out while compiling).
    volatile std::size_t rows = digits_test.size();
    std::size_t hits = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        std::array<float, 64> x{};
        for (std::size_t i = 0; i < 64; ++i) x[i] = digits_test[r].x[i];
        int label = 0;
        for (int d = 0; d < 10; ++d)
            if (digits_test[r].y[d] == 1.0f) label = d;
        hits += classify(x) == label;
    }
    const double at_run_time = static_cast<double>(hits) / static_cast<double>(rows);
    std::printf("digits firmware: %zu of %zu held-out rows classified correctly at run time (%.4f; the compiler found %.4f)\n",
                hits, static_cast<std::size_t>(rows), at_run_time, held_out_accuracy);
    return at_run_time == held_out_accuracy ? 0 : 1;
}
