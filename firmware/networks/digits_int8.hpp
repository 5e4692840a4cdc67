// firmware/networks/digits_int8.hpp — the digits network quantized to int8 by the compiler, and its
// ten sample rows quantized to its input.
//
// The quantization examples/digits_int8.cpp proves within half a point of the float
// network's accuracy: kiln::quantize of the baked float network (digits.hpp), calibrated on
// the first 360 training rows, inside the compiler of every translation unit that includes
// this. The int8 inference (predict on int8) is integer arithmetic only.
#pragma once

#include <cstdint>

#include <kiln/quantize.hpp>

#include "digits.hpp"

namespace firmware::digits {

inline constexpr std::size_t calibration_rows = 360;
inline constexpr auto quantized = kiln::quantize(net, kiln::dataset_view<float, 64, 10>{digits_train.rows, calibration_rows});
static_assert(quantized.status == kiln::quantize_status::ok, "the digits network quantizes");
inline constexpr auto int8_net = quantized.network;
using int8_net_type = decltype(quantized.network);

constexpr auto quantized_samples() {
    struct {
        std::int8_t v[sample_count][64];
    } q{};
    for (std::size_t r = 0; r < sample_count; ++r) int8_net.quantize_input(sample_inputs[r], q.v[r]);
    return q;
}
/// sample_inputs in the int8 network's input quantization.
inline constexpr auto int8_samples = quantized_samples();
inline constexpr const auto& int8_sample_inputs = int8_samples.v;

} // namespace firmware::digits
