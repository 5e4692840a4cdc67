// fuzz/npy_fuzz.cpp — libFuzzer target for kiln/io/npy.hpp's .npy reader: any bytes read into any element type, and what reads writes back the same.
//
// The first byte chooses the element type and whether rounding is allowed; the rest is the file.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <kiln/io/npy.hpp>

#include "fuzz_input.hpp"

namespace {

template <kiln::io::npy_value T>
void run(std::string_view bytes, bool rounding) {
    const auto a = kiln::io::parse_npy<T>(bytes, "fuzz.npy", {.allow_rounding = rounding});
    if (!a) return kiln_fuzz::check_error(a.error());
    kiln_fuzz::require(a->values.size() == a->size(), "an array whose values do not fill its shape");
    // Whatever was read is written and read back to the same bits (NaNs included).
    const auto written = kiln::io::npy_bytes(*a);
    kiln_fuzz::require(static_cast<bool>(written), "an array read cannot be written");
    const auto back = kiln::io::parse_npy<T>(*written, "back.npy");
    kiln_fuzz::require(static_cast<bool>(back), "kiln cannot read its own .npy file", back ? "" : back.error().message);
    kiln_fuzz::require(back->shape == a->shape, "the shape changed on the way back");
    kiln_fuzz::require(a->values.empty() || std::memcmp(back->values.data(), a->values.data(), a->values.size() * sizeof(T)) == 0,
                       "the values changed on the way back");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiln_fuzz::bytes in{data, size};
    const std::uint8_t choice = in.take();
    const bool rounding = choice & 4;
    switch (choice & 3) {
    case 0: run<float>(in.rest(), rounding); break;
    case 1: run<double>(in.rest(), rounding); break;
    case 2: run<std::int8_t>(in.rest(), rounding); break;
    default: run<std::int32_t>(in.rest(), rounding); break;
    }
    return 0;
}
