// fuzz/csv_fuzz.cpp — libFuzzer target for kiln/io/csv.hpp: any bytes, any shape and options, never a crash or a silent bad row.
//
// The first five bytes choose the value type, the shape (now and then an absurd one), the
// header lines, the scale, the label kind and the delimiter; the rest is the CSV text.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <kiln/io/csv.hpp>

#include "fuzz_input.hpp"

namespace {

// Shapes beyond the bound, and (for inputs, which the text must match column for column,
// so memory stays proportional to the text) just within it. Many targets a row are the
// caller's choice and cost memory per row whatever the text, so outputs get no such shape.
constexpr std::size_t absurd_inputs[] = {static_cast<std::size_t>(-1), std::size_t{1} << 62, kiln::io::max_row_values,
                                         kiln::io::max_row_values - 1};
constexpr std::size_t absurd_outputs[] = {static_cast<std::size_t>(-1), std::size_t{1} << 62, kiln::io::max_row_values,
                                          kiln::io::max_row_values + 1};
constexpr double scales[] = {1.0, 1.0 / 16, 3.0, 1e-300, 1e300, -2.0, 1e-30};
constexpr char delimiters[] = {',', ';', '\t', '|'};

std::size_t size_from(std::uint8_t b, std::size_t small, const std::size_t (&absurd)[4]) {
    return b >= 252 ? absurd[b - 252] : 1 + b % small;
}

template <class T>
void run(std::string_view text, std::size_t inputs, std::size_t outputs, const kiln::io::csv_options& o) {
    const auto t = kiln::io::parse_csv_table<T>(text, "fuzz.csv", inputs, outputs, o);
    if (!t) return kiln_fuzz::check_error(t.error());
    kiln_fuzz::require(t->inputs == inputs && t->outputs == outputs, "the table's shape differs from the one asked for");
    kiln_fuzz::require(t->rows() > 0 && t->values.size() == t->rows() * t->width(), "a table of partial rows");
    for (std::size_t r = 0; r < t->rows(); ++r) {
        for (T v : t->input(r)) kiln_fuzz::require(std::isfinite(v), "a non-finite input passed");
        T ones = 0;
        for (T y : t->target(r)) {
            kiln_fuzz::require(std::isfinite(y), "a non-finite target passed");
            if (o.label == kiln::io::label_kind::class_index)
                kiln_fuzz::require(y == 0 || y == 1, "a class target other than 0 or 1");
            ones += y;
        }
        if (o.label == kiln::io::label_kind::class_index && outputs > 1)
            kiln_fuzz::require(ones == 1, "a one-hot target without exactly one 1");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiln_fuzz::bytes in{data, size};
    const std::uint8_t kind = in.take();
    const std::size_t inputs = size_from(in.take(), 6, absurd_inputs);
    const std::size_t outputs = size_from(in.take(), 4, absurd_outputs);
    const std::uint8_t choice = in.take();
    const std::uint8_t label = in.take();
    kiln::io::csv_options o{};
    o.header_lines = choice % 3;
    o.scale = scales[(choice / 3) % std::size(scales)];
    o.delimiter = delimiters[(choice / 32) % std::size(delimiters)];
    o.label = label % 5 == 0 ? kiln::io::label_kind::number : kiln::io::label_kind::class_index;
    if (label % 7 == 1) o.label_column = (label / 7) % (inputs < 8 ? inputs + 2 : 8);
    const std::string_view text = in.rest();
    if (kind % 2 == 0) run<float>(text, inputs, outputs, o);
    else run<double>(text, inputs, outputs, o);
    // The fixed-shape path too, through samples.
    if (kind % 4 == 3) {
        const auto s = kiln::io::parse_csv<float, 2, 2>(text, "fuzz.csv", {});
        if (!s) kiln_fuzz::check_error(s.error());
    }
    return 0;
}
