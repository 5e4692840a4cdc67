// examples/seed.cpp — the tutorial's NumPy program, reproduced: trained by the compiler while this file
// builds, trained again at run time with the same code, and both checked against NumPy's figures.
#include <cstdio>
#include <cstring>

#include "seed_network.hpp"

namespace {

// Training inside the compiler, in stages: each constexpr variable is its own constant
// evaluation with its own budget, so 2500 epochs at a time stay within both compilers'
// default limits (no flag needed). 9999 epochs give the tutorial's "output after
// training" (the forward pass of epoch 9999); one more gives its final weights.
constexpr seed::network after_2500 = seed::trained(seed::initial(), 2500);
constexpr seed::network after_5000 = seed::trained(after_2500, 2500);
constexpr seed::network after_7500 = seed::trained(after_5000, 2500);
constexpr seed::network before_last = seed::trained(after_7500, 2499);
constexpr seed::network compiled = seed::trained(before_last, 1);

constexpr bool matches(const double (&got)[4], const double (&want)[4], double tolerance) {
    for (int i = 0; i < 4; ++i)
        if (!seed::close(got[i], want[i], tolerance)) return false;
    return true;
}
constexpr bool outputs_match(const seed::network& net, const double (&want)[4]) {
    double got[4]{};
    for (int i = 0; i < 4; ++i) {
        double y[1]{};
        net.predict(seed::data[i].x, y);
        got[i] = y[0];
    }
    return matches(got, want, 1e-12);
}

static_assert(seed::initial().layer<0>().w[0] == seed::numpy::initial_weights[0] &&
                  seed::initial().layer<0>().w[1] == seed::numpy::initial_weights[1] &&
                  seed::initial().layer<0>().w[2] == seed::numpy::initial_weights[2],
              "the initial weights are NumPy's, bit for bit");
static_assert(outputs_match(before_last, seed::numpy::output_after_training),
              "the forward pass of epoch 9999 equals NumPy's to 1e-12");
static_assert(outputs_match(compiled, seed::numpy::final_prediction),
              "the trained network's predictions equal NumPy's to 1e-12");
static_assert(seed::close(compiled.layer<0>().w[0], seed::numpy::final_weights[0], 1e-12) &&
                  seed::close(compiled.layer<0>().w[1], seed::numpy::final_weights[1], 1e-12) &&
                  seed::close(compiled.layer<0>().w[2], seed::numpy::final_weights[2], 1e-12),
              "the final weights equal NumPy's to 1e-12");

int failures = 0;
void check(const char* what, double got, double want) {
    if (!seed::close(got, want, 1e-12)) {
        std::printf("  MISMATCH %s: %.17g, NumPy %.17g\n", what, got, want);
        ++failures;
    }
}

} // namespace

int main() {
    std::printf("kiln seed demo: one sigmoid neuron, 3 inputs, 4 rows, 10000 epochs of full-batch descent\n");
    const seed::network start = seed::initial();
    std::printf("initial weights: %.16g %.16g %.16g\n", start.layer<0>().w[0], start.layer<0>().w[1],
                start.layer<0>().w[2]);

    // The tutorial logs, at epochs 0, 1000, ..., the mean |error| of that epoch's forward
    // pass, which uses the weights after that many updates.
    std::printf("epoch %5d  mean |error| %.17g\n", 0, kiln::mean_absolute_error(start, seed::data));
    check("mean |error| at epoch 0", kiln::mean_absolute_error(start, seed::data), seed::numpy::mean_abs_error[0]);
    double output_after_training[4]{};
    const seed::network run_time = seed::trained(start, seed::epochs, [&](const kiln::epoch_report<seed::network>& r) {
        if (r.epoch % 1000 == 0 && r.epoch < seed::epochs) {
            const double mae = kiln::mean_absolute_error(r.network, seed::data);
            std::printf("epoch %5zu  mean |error| %.17g\n", r.epoch, mae);
            check("mean |error|", mae, seed::numpy::mean_abs_error[r.epoch / 1000]);
        }
        if (r.epoch == seed::epochs - 1)
            for (int i = 0; i < 4; ++i) output_after_training[i] = r.network.predict(seed::data[i].input())[0];
    });

    std::printf("output after training (forward pass of epoch 9999):\n");
    for (int i = 0; i < 4; ++i) {
        std::printf("  %.17g\n", output_after_training[i]);
        check("output after training", output_after_training[i], seed::numpy::output_after_training[i]);
    }
    std::printf("final weights: %.16g %.16g %.16g\n", run_time.layer<0>().w[0], run_time.layer<0>().w[1],
                run_time.layer<0>().w[2]);
    for (int i = 0; i < 3; ++i) check("final weight", run_time.layer<0>().w[i], seed::numpy::final_weights[i]);

    const bool same_bits = std::memcmp(&run_time, &compiled, sizeof compiled) == 0;
    std::printf("weights trained by the compiler and at run time are %s\n",
                same_bits ? "bit-identical" : "DIFFERENT");
    if (!same_bits) ++failures;
    std::printf("%s: every figure equals NumPy's to 12 significant digits\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
