// tests/header_test/check.cpp — the baked networks hold the very bits the trainer had, and compute its outputs at run time too.
//
//   header_test_check <float values file> <double values file>
//
// The headers were written by header_test_trainer earlier in this build; their own
// static_asserts already checked the reference outputs inside the compiler. Here every
// parameter is compared with the trainer's, and the reference input, read from the file at
// run time (so nothing is folded), goes through the baked network at run time.
#include <bit>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <type_traits>
#include <vector>

#include <kiln/scale.hpp>

#include "round_trip.hpp"
#include "round_trip_double.hpp"
#include "round_trip_float.hpp"

static_assert(std::is_same_v<round_trip_float_t, round_trip::float_net>, "the header spells the trainer's float network type");
static_assert(std::is_same_v<round_trip_double_t, round_trip::double_net>, "the header spells the trainer's double network type");
static_assert(std::is_same_v<decltype(round_trip_float_scaler), const kiln::scaler<float, 4>>, "the float header bakes its scaler");

namespace {

// Compares the baked network, and its baked scaler when there is one, with the trainer's values file.
template <class Net>
bool same_bits(const Net& net, const char* path, const kiln::scaler<typename Net::value_type, Net::inputs>* scaler) {
    using T = typename Net::value_type;
    using bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    std::ifstream in(path);
    in >> std::hex;
    std::vector<bits> file;
    for (bits b; in >> b;) file.push_back(b);
    std::vector<bits> baked;
    net.for_each_layer([&](auto, const auto& p) {
        for (T v : p.w) baked.push_back(std::bit_cast<bits>(v));
        if constexpr (std::remove_cvref_t<decltype(p)>::has_bias)
            for (T v : p.b) baked.push_back(std::bit_cast<bits>(v));
    });
    const std::size_t n = baked.size();
    if (scaler)
        for (const auto* part : {scaler->offset, scaler->factor})
            for (std::size_t i = 0; i < Net::inputs; ++i) baked.push_back(std::bit_cast<bits>(part[i]));
    const std::size_t expected = baked.size() + Net::inputs + Net::outputs;
    if (file.size() != expected) {
        std::printf("%s: %zu values, expected %zu\n", path, file.size(), expected);
        return false;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (file[i] != baked[i]) {
            std::printf("%s: parameter %zu differs\n", path, i);
            return false;
        }
    typename Net::input_type x{};
    for (std::size_t i = 0; i < Net::inputs; ++i) x[i] = std::bit_cast<T>(file[n + i]);
    const auto y = net.predict(x);  // x came from a file: this runs at run time
    for (std::size_t o = 0; o < Net::outputs; ++o)
        if (std::bit_cast<bits>(y[o]) != file[n + Net::inputs + o]) {
            std::printf("%s: output %zu of the baked network at run time differs from the trainer's\n", path, o);
            return false;
        }
    for (std::size_t i = n; i < baked.size(); ++i)
        if (file[Net::inputs + Net::outputs + i] != baked[i]) {
            std::printf("%s: scaler value %zu differs\n", path, i - n);
            return false;
        }
    std::printf("%s: %zu parameters, %zu outputs and %zu scaler values bit-identical\n", path, n, Net::outputs, baked.size() - n);
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::printf("usage: header_test_check <float values> <double values>\n");
        return 1;
    }
    const bool f = same_bits(round_trip_float, argv[1], &round_trip_float_scaler);
    const bool d = same_bits(round_trip_double, argv[2], nullptr);
    return f && d ? 0 : 1;
}
