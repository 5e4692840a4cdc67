// expect: kiln::quantize: this activation has no int8 form
// An activation kiln cannot express in int8 (no value() to tabulate) is refused by name.
#include <kiln/kiln.hpp>
#include <kiln/quantize.hpp>

#include <cstddef>

struct row_normalise {  // a block-wise activation of its own, like softmax
    template <class T, std::size_t R, std::size_t W>
    static constexpr void forward(T (&)[R][W], std::size_t) {}
    template <class T, std::size_t R, std::size_t W>
    static constexpr void backward(const T (&)[R][W], T (&)[R][W], std::size_t) {}
};
kiln::quantized_network<float, kiln::dense<2, 2, row_normalise>> q{};
