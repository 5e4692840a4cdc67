// examples/digits_int8.cpp — the digits network quantized to int8 inside the compiler, its held-out accuracy proven by static_assert.
//
// The float 64-32-10 network (tanh, softmax) comes baked into a header; kiln::quantize turns
// it into an int8 network (TensorFlow Lite's scheme, kiln/quantize.hpp) while this file
// compiles, calibrating the activation ranges on training rows, and the build fails
// unless the int8 network's accuracy on the 359 held-out rows is within 0.5 points of the
// float network's. digits_data.hpp is baked from examples/data/digits.csv at build time with
// the agreed split (row i held out when i % 5 == 4).
#include <cstdio>

#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

#include "digits_data.hpp"

// The float network: the digits network trained at run time by examples/digits.cpp and baked
// at build time (kiln_generate_header), the one digits_firmware proves.
#include "digits_net.hpp"
inline constexpr const auto& float_network = digits_net;

// Calibration on the first 360 training rows, a quarter of the compiler's time of all 1438.
inline constexpr std::size_t calibration_rows = 360;
constexpr kiln::dataset_view<float, 64, 10> calibration{digits_train.rows, calibration_rows};

constexpr auto quantized = kiln::quantize(float_network, calibration);
static_assert(quantized.status == kiln::quantize_status::ok);
constexpr const auto& int8_network = quantized.network;

constexpr double float_accuracy = kiln::accuracy(float_network, digits_test);
constexpr double int8_accuracy = kiln::accuracy(int8_network, digits_test);
static_assert(int8_accuracy - float_accuracy <= 0.005 && float_accuracy - int8_accuracy <= 0.005,
              "the int8 digits network is within 0.5 points of the float one on the 359 held-out rows");

int main() {
    std::printf("digits 64-32-10, quantized to int8 by the compiler (calibrated on %zu of the %zu training rows):\n",
                calibration_rows, digits_train.size());
    std::printf("float accuracy: %.4f\n", float_accuracy);
    std::printf("int8 accuracy: %.4f\n", int8_accuracy);
    std::printf("int8 parameters: %zu bytes of weights, %zu bytes in all (float: %zu bytes)\n",
                sizeof int8_network.layer<0>().w + sizeof int8_network.layer<1>().w, sizeof int8_network,
                sizeof float_network);

    // The same quantization at run time gives the same network (the float network read
    // through a volatile pointer, so the compiler cannot fold it).
    const auto* volatile source = &float_network;
    const bool same = kiln::quantize(*source, calibration).network == int8_network;
    std::printf("run-time quantization gives %s network\n", same ? "a bit-identical" : "a DIFFERENT");
    return same ? 0 : 1;
}
