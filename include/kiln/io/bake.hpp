// kiln/io/bake.hpp — write run-time values as a C++ header of constexpr data that holds exactly the same bits.
//
// Host only. Every floating-point value is written as a hexadecimal floating literal
// (0x1.466666p+2f): it states the binary value itself, so the compiler reads back the very
// bits that were written, with no decimal rounding on either side. -0.0 and subnormals
// survive too; NaN and infinities have no literal and are refused with an error.
// append_literal() is the one place values become text, for datasets here and for any
// other baked object (a trained network's weights) later.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <kiln/dataset.hpp>
#include <kiln/io/error.hpp>
#include <kiln/io/rows.hpp>

namespace kiln::io {

/// The floating-point types a baked header can hold.
template <class T>
concept bakeable = std::same_as<T, float> || std::same_as<T, double>;

/// The C++ spelling of T in a generated header.
template <bakeable T>
constexpr std::string_view type_name() noexcept {
    if constexpr (std::same_as<T, float>) return "float";
    else return "double";
}

/// Appends v to out as a literal of type T that denotes exactly v; returns false, and
/// appends nothing, when v is NaN or infinite.
template <bakeable T>
bool append_literal(std::string& out, T v) {
    if (!std::isfinite(v)) return false;
    // The sign is written apart so that -0.0 is "-0x0p+0": unary minus on 0.0 gives -0.0.
    if (std::signbit(v)) {
        out += '-';
        v = -v;
    }
    char digits[48];  // "1.fffffffffffffp-1022" is the longest hexadecimal double
    const auto r = std::to_chars(digits, digits + sizeof digits, v, std::chars_format::hex);
    out += "0x";
    out.append(digits, r.ptr);
    if constexpr (std::same_as<T, float>) out += 'f';
    return true;
}

/// True when name can name a variable in a generated header: a C++ identifier that is not
/// reserved to the implementation (no "__", no leading '_' followed by a capital letter).
inline bool is_identifier(std::string_view name) noexcept {
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (name.empty() || !letter(name[0])) return false;
    for (char c : name)
        if (!letter(c) && !(c >= '0' && c <= '9')) return false;
    if (name.find("__") != std::string_view::npos) return false;
    return !(name.size() > 1 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z');
}

/// The lines a generated header starts with: `// description`, `#pragma once` and the
/// include of kiln/dataset.hpp.
inline void write_header_prologue(std::ostream& os, std::string_view description) {
    os << "// " << description << "\n#pragma once\n\n#include <kiln/dataset.hpp>\n";
}

namespace detail {

// The definition of one dataset, built whole before anything is written so that a value
// with no literal leaves the stream untouched. row(r) gives {x, y} pointers of row r.
template <bakeable T, class Row>
result<std::string> dataset_definition(std::string_view name, std::size_t n, std::size_t in, std::size_t out, Row row) {
    if (!is_identifier(name))
        return io::error{"", 0, 0, "the dataset name \"" + std::string(name) + "\" is not a usable C++ identifier"};
    if (n == 0) return io::error{"", 0, 0, "no rows to write to " + std::string(name) + " (a kiln::dataset holds at least one)"};
    if (in == 0 || out == 0) return io::error{"", 0, 0, "a row needs at least one input and one target"};

    std::string s = "\ninline constexpr kiln::dataset<";
    s += type_name<T>();
    s += ", " + std::to_string(n) + ", " + std::to_string(in) + ", " + std::to_string(out) + "> ";
    s += name;
    s += "{{\n";
    const auto values = [&](std::size_t r, const T* v, std::size_t count, const char* member) -> bool {
        s += '{';
        for (std::size_t i = 0; i < count; ++i) {
            if (i != 0) s += ", ";
            if (!append_literal(s, v[i])) {
                s = std::string(name) + ".rows[" + std::to_string(r) + "]." + member + "[" + std::to_string(i) + "] is " +
                    (std::isnan(v[i]) ? "NaN" : v[i] > 0 ? "+infinity" : "-infinity") + ", which no C++ literal can hold";
                return false;
            }
        }
        s += '}';
        return true;
    };
    for (std::size_t r = 0; r < n; ++r) {
        const auto [x, y] = row(r);
        s += "    {";
        if (!values(r, x, in, "x")) return io::error{"", 0, 0, std::move(s)};
        s += ", ";
        if (!values(r, y, out, "y")) return io::error{"", 0, 0, std::move(s)};
        s += "},\n";
    }
    s += "}};\n";
    return s;
}

// Any contiguous run of samples as a view, so the writers take a kiln::dataset, the vector
// read_csv returns, or a span alike (a span parameter alone would not deduce T, In, Out).
template <class T, std::size_t In, std::size_t Out>
dataset_view<T, In, Out> as_view(dataset_view<T, In, Out> rows) noexcept { return rows; }
template <class T, std::size_t In, std::size_t Out>
dataset_view<T, In, Out> as_view(const std::vector<sample<T, In, Out>>& rows) noexcept { return rows; }
template <class T, std::size_t N, std::size_t In, std::size_t Out>
dataset_view<T, In, Out> as_view(const dataset<T, N, In, Out>& rows) noexcept { return rows; }

template <class Rows>
concept sample_rows = requires(const Rows& rows) { detail::as_view(rows); };

template <class Rows>
using rows_value_t = typename decltype(detail::as_view(std::declval<const Rows&>()))::value_type::value_type;

} // namespace detail

/// Writes `inline constexpr kiln::dataset<T, N, In, Out> name{{...}};` holding the rows
/// (a kiln::dataset, a std::vector or span of kiln::sample) bit for bit. On error (a name
/// that is not an identifier, no rows, NaN or infinity) nothing is written.
template <detail::sample_rows Rows>
    requires bakeable<detail::rows_value_t<Rows>>
result<void> write_dataset_definition(std::ostream& os, const Rows& samples, std::string_view name) {
    const auto rows = detail::as_view(samples);
    using T = detail::rows_value_t<Rows>;
    struct pointers {
        const T* x;
        const T* y;
    };
    using S = typename decltype(rows)::value_type;
    auto text = detail::dataset_definition<T>(name, rows.size(), S::inputs, S::outputs,
                                              [&](std::size_t r) { return pointers{rows[r].x, rows[r].y}; });
    if (!text) return text.error();
    os << *text;
    return {};
}

/// The same for a table, whose shape is known only at run time.
template <bakeable T>
result<void> write_dataset_definition(std::ostream& os, const table<T>& rows, std::string_view name) {
    struct pointers {
        const T* x;
        const T* y;
    };
    auto text = detail::dataset_definition<T>(name, rows.rows(), rows.inputs, rows.outputs, [&](std::size_t r) {
        return pointers{rows.input(r).data(), rows.target(r).data()};
    });
    if (!text) return text.error();
    os << *text;
    return {};
}

/// A whole header defining one dataset, `name`: the prologue, then the definition.
template <detail::sample_rows Rows>
    requires bakeable<detail::rows_value_t<Rows>>
result<void> write_dataset_header(std::ostream& os, const Rows& rows, std::string_view name) {
    std::ostringstream body;
    if (auto r = write_dataset_definition(body, rows, name); !r) return r;
    write_header_prologue(os, "Generated by kiln::io::write_dataset_header: do not edit.");
    os << body.str();
    return {};
}

/// Replaces the file at path with text, or says why it could not. The text goes to a
/// temporary file beside it first, so a failed write never leaves a half-written header
/// for a build to pick up.
inline result<void> write_text_file(const std::filesystem::path& path, std::string_view text) {
    const std::string name = path.string();
    if (name.empty()) return io::error{"", 0, 0, "no file name given"};
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return io::error{name, 0, 0, "cannot be opened for writing"};
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            return io::error{name, 0, 0, "write error"};
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        return io::error{name, 0, 0, "cannot be replaced: " + ec.message()};
    }
    return {};
}

/// write_dataset_header into the file at path (replaced whole, or left as it was on error).
template <detail::sample_rows Rows>
    requires bakeable<detail::rows_value_t<Rows>>
result<void> write_dataset_header(const std::filesystem::path& path, const Rows& rows, std::string_view name) {
    std::ostringstream text;
    if (auto r = write_dataset_header(text, rows, name); !r) {
        io::error e = r.error();
        e.file = path.string();
        return e;
    }
    return write_text_file(path, text.str());
}

} // namespace kiln::io
