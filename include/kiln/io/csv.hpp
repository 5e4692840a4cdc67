// kiln/io/csv.hpp — read labelled rows from CSV text into kiln samples, or say file:line:column what is wrong.
//
// Host only. The format read is the plain one kiln's data sets use:
//  - one row a line; "\n" or "\r\n" line ends; a missing newline after the last line is fine;
//  - fields separated by options.delimiter (',' by default); no quoting, no escapes;
//  - spaces and tabs around a field are ignored; a UTF-8 byte order mark is ignored;
//  - the first options.header_lines lines are skipped unread;
//  - lines that are empty or hold only spaces and tabs are skipped (they still count for
//    line numbers in errors); a line of empty fields (",,,") is not blank and is an error;
//  - every other line must hold exactly In + 1 fields: In inputs and one label;
//  - inputs are decimal numbers as std::from_chars reads them ("1", "-0.5", "2e-3"; a leading
//    '+' is allowed; hexadecimal is not), finite, and in range for T after scaling;
//  - the label (label_kind::class_index) is an integer class c in 0..Out-1 written in digits
//    (an optional sign, and a fraction of zeros only: "2.0" counts as 2; "2e0" and
//    "2.9999999999999999", which a double would round to 3, are refused) and becomes a
//    one-hot target; with Out == 1 it is a binary class, 0 or 1, stored as the single target value. With label_kind::number the label is any
//    finite number stored as the single target (regression; needs Out == 1).
// A row holds at most max_row_values inputs and targets together.
// Anything else is an error naming the line, the byte column where the offending text
// starts, what was expected and what was found; a file with no data rows is an error too.
// Nothing is thrown (but std::bad_alloc), nothing bad passes silently.
#pragma once

#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include <kiln/dataset.hpp>
#include <kiln/io/error.hpp>
#include <kiln/io/rows.hpp>

namespace kiln::io {

/// The most inputs and targets one row may hold together (2^24): far beyond any network
/// kiln can hold as a type, and small enough that sizes computed from it cannot overflow.
inline constexpr std::size_t max_row_values = std::size_t{1} << 24;

/// How a row's label column becomes its targets.
enum class label_kind {
    class_index,  ///< an integer class: one-hot over Out targets (Out == 1: the class 0 or 1 itself)
    number,       ///< any finite number, stored as the one target (regression; Out must be 1)
};

/// How to read a CSV file. Designated initialisers keep calls readable:
/// `{.label_column = 64, .scale = 1.0 / 16}`.
struct csv_options {
    /// label_column's default: the label follows the inputs (column In).
    static constexpr std::size_t last_column = static_cast<std::size_t>(-1);

    std::size_t label_column = last_column;  ///< 0-based column of the label; every other column is an input
    std::size_t header_lines = 0;            ///< lines skipped, unread, before the first row
    double scale = 1.0;                      ///< every input is multiplied by this (in double, then rounded once to T)
    label_kind label = label_kind::class_index;
    char delimiter = ',';
};

namespace detail {

template <class T>
constexpr const char* float_name() {
    if constexpr (std::is_same_v<T, float>) return "float";
    else if constexpr (std::is_same_v<T, double>) return "double";
    else return "long double";
}

// How many bytes of a field a message shows: a 10 MB token must not make a 10 MB message.
inline constexpr std::size_t shown_bytes = 40;

// The first shown_bytes bytes of a field with anything unprintable escaped (a stray byte or
// NUL must not garble the terminal), and quotes and backslashes escaped when `in_quotes`.
inline std::string escaped(std::string_view s, bool in_quotes) {
    std::string q;
    for (std::size_t i = 0; i < s.size() && i < shown_bytes; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (in_quotes && (c == '"' || c == '\\')) {
            q += '\\';
            q += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7f) {
            q += static_cast<char>(c);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            q += hex;
        }
    }
    return q;
}

inline std::string cut_note(std::string_view s) {
    return s.size() > shown_bytes ? " (cut, " + std::to_string(s.size()) + " bytes in all)" : std::string();
}

// How a field looks in a message: in double quotes, long fields cut short.
inline std::string quoted(std::string_view s) { return '"' + escaped(s, true) + '"' + cut_note(s); }

// A field that read as a number, shown as written ("value 1e999 is ..."), long ones cut short.
inline std::string shown(std::string_view s) {
    return escaped(s, false) + (s.size() > shown_bytes ? "..." : "") + cut_note(s);
}

inline std::string shortest(double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

enum class number_read { ok, not_a_number, out_of_range };

// A class label written as an integer in digits: an optional sign, digits, and optionally
// '.' and zeros. Sets `c` (saturated at SIZE_MAX) and `negative`; false for any other form,
// so no label rounds through a double ("2.9999999999999999" is not class 3).
inline bool read_class(std::string_view s, std::size_t& c, bool& negative) {
    negative = !s.empty() && s[0] == '-';
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (const std::size_t dot = s.find('.'); dot != std::string_view::npos) {
        if (dot + 1 == s.size() || s.find_first_not_of('0', dot + 1) != std::string_view::npos) return false;
        s = s.substr(0, dot);
    }
    if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return false;
    c = 0;
    for (char d : s) {
        const auto digit = static_cast<std::size_t>(d - '0');
        c = c > (std::numeric_limits<std::size_t>::max() - digit) / 10 ? std::numeric_limits<std::size_t>::max()
                                                                         : c * 10 + digit;
    }
    return true;
}

// from_chars in its general format, over the whole field: trailing text makes the field
// "not a number" rather than a number followed by something ignored.
template <class F>
number_read read_number(std::string_view s, F& v) {
    const char* first = s.data();
    const char* const last = s.data() + s.size();
    // from_chars refuses '+'; files written by other tools sometimes have it.
    if (last - first > 1 && *first == '+' && first[1] != '+' && first[1] != '-') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::general);
    if (ec == std::errc::invalid_argument || ptr != last) return number_read::not_a_number;
    if (ec == std::errc::result_out_of_range) return number_read::out_of_range;
    return number_read::ok;
}

// A finite number of type F from the whole field. Returns the message on failure, empty on success.
template <class F>
std::string read_finite(std::string_view s, F& v) {
    switch (read_number(s, v)) {
    case number_read::not_a_number: return "expected a number, found " + quoted(s);
    case number_read::out_of_range: return "value " + shown(s) + " is out of range for " + float_name<F>();
    case number_read::ok: break;
    }
    if (!std::isfinite(v)) return "value " + shown(s) + " is not finite";
    return {};
}

// One input field into out. Returns the message on failure, empty on success.
template <class T>
std::string read_input(std::string_view s, double scale, T& out) {
    if (s.empty()) return "expected a number, found nothing";
    // Unscaled, read straight into T, so "5.1" becomes the nearest float, not a rounded double.
    if (scale == 1.0) return read_finite(s, out);
    using wide = std::conditional_t<(sizeof(T) > sizeof(double)), T, double>;
    wide v{};
    if (std::string message = read_finite(s, v); !message.empty()) return message;
    const wide scaled = v * static_cast<wide>(scale);
    // Converting a value beyond T's range is undefined behaviour, so it is refused first.
    // from_chars calls a non-zero value that would read as zero out of range; so does this,
    // whether the product already underflows in `wide` (1e-300 * 1e-300) or only in T.
    if (!std::isfinite(scaled) || std::fabs(scaled) > static_cast<wide>(std::numeric_limits<T>::max()) ||
        (v != 0 && static_cast<T>(scaled) == 0))
        return "value " + shown(s) + " times the scale " + shortest(scale) + " is out of range for " + float_name<T>();
    out = static_cast<T>(scaled);
    return {};
}

// The label field into the row's targets (already zero). Returns the message on failure.
template <class T>
std::string read_label(std::string_view s, label_kind kind, std::size_t outputs, T* y) {
    if (kind == label_kind::number) {
        if (s.empty()) return "expected a number as the label, found nothing";
        return read_input(s, 1.0, y[0]);
    }
    const std::size_t classes = outputs == 1 ? 2 : outputs;
    const std::string range = "0.." + std::to_string(classes - 1);
    if (s.empty()) return "expected a class label " + range + ", found nothing";
    std::size_t c = 0;
    bool negative = false;
    if (!read_class(s, c, negative)) {
        // Not digits: read it as a number only to say what is wrong with it.
        double v = 0;
        const number_read r = read_number(s, v);
        if (r == number_read::not_a_number) return "expected a class label " + range + ", found " + quoted(s);
        if (r == number_read::ok && !std::isfinite(v))
            return "label " + shown(s) + " is not finite (expected a class " + range + ")";
        if (r == number_read::ok && v != std::floor(v))
            return "label " + shown(s) + " is not an integer (expected a class " + range + ")";
        return "label " + shown(s) + " is not an integer written in digits (expected a class " + range + ", e.g. 2 or 2.0)";
    }
    if ((negative && c != 0) || c > classes - 1) return "label " + shown(s) + " is outside " + range;
    if (outputs == 1) y[0] = static_cast<T>(c);
    else y[c] = T(1);
    return {};
}

// Checks the options against the shape; the message, or empty when they fit.
inline std::string check_options(std::size_t inputs, std::size_t outputs, const csv_options& o) {
    if (inputs == 0 || outputs == 0) return "a row needs at least one input and one target";
    // Bounded first, so that no size below (inputs + 1, a row's inputs + outputs) can wrap round.
    if (inputs >= max_row_values || outputs >= max_row_values || inputs + outputs > max_row_values)
        return "a row holds at most " + std::to_string(max_row_values) + " values (" + std::to_string(inputs) +
               (inputs == 1 ? " input and " : " inputs and ") + std::to_string(outputs) +
               (outputs == 1 ? " target)" : " targets)");
    const std::size_t label = o.label_column == csv_options::last_column ? inputs : o.label_column;
    if (label > inputs)
        return "label column " + std::to_string(o.label_column) + " is outside 0.." + std::to_string(inputs) +
               " (a row has " + std::to_string(inputs + 1) + " columns)";
    if (!std::isfinite(o.scale) || o.scale == 0) return "scale must be finite and not zero, not " + shortest(o.scale);
    if (o.label == label_kind::number && outputs != 1)
        return "a numeric label is one target, so outputs must be 1, not " + std::to_string(outputs);
    const char d = o.delimiter;
    if (d == '\n' || d == '\r' || d == ' ' || d == '.' || d == '+' || d == '-' || (d >= '0' && d <= '9') ||
        (d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z'))
        return "the delimiter cannot be a character of a number, a space or a line end, found " +
               quoted(std::string_view(&d, 1));
    return {};
}

} // namespace detail

/// Reads CSV text (the format in this header's first comment) into a table of `inputs`
/// inputs and `outputs` targets a row. `file` only names the text in errors.
template <class T>
result<table<T>> parse_csv_table(std::string_view text, std::string_view file, std::size_t inputs, std::size_t outputs,
                                 const csv_options& options = {}) {
    static_assert(std::is_floating_point_v<T>, "kiln::io::parse_csv_table: T must be a floating-point type");
    const auto where = [&](std::size_t line, std::size_t column, std::string message) {
        return io::error{std::string(file), line, column, std::move(message)};
    };
    if (auto m = detail::check_options(inputs, outputs, options); !m.empty()) return where(0, 0, std::move(m));

    const std::size_t columns = inputs + 1;
    const std::size_t label_column = options.label_column == csv_options::last_column ? inputs : options.label_column;
    const char delimiter = options.delimiter;
    const auto blank = [delimiter](char c) { return (c == ' ' || c == '\t') && c != delimiter; };

    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

    table<T> t{inputs, outputs, {}};
    std::size_t line_no = 0, blank_lines = 0, first_row_line = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        ++line_no;
        const std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line_no <= options.header_lines) continue;

        std::size_t lead = 0;
        while (lead < line.size() && blank(line[lead])) ++lead;
        if (lead == line.size()) {
            ++blank_lines;
            continue;
        }
        if (first_row_line == 0) first_row_line = line_no;

        std::size_t fields = 1;
        std::size_t extra_at = 0;  // where the first field beyond `columns` starts
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] != delimiter) continue;
            if (++fields == columns + 1) extra_at = i + 1;
        }
        // The commonest slip, a header line read as data, gets a hint on the first row.
        const auto hint = [&](std::string m) {
            if (line_no == first_row_line && options.header_lines == 0)
                m += " (if line " + std::to_string(line_no) + " is a header, skip it with header_lines = " +
                     std::to_string(line_no) + ")";
            return m;
        };
        if (fields != columns) {
            std::string m = "expected " + std::to_string(columns) + " columns (" + std::to_string(inputs) +
                            (inputs == 1 ? " input" : " inputs") + " and a label), found " + std::to_string(fields);
            return where(line_no, fields < columns ? line.size() + 1 : extra_at + 1, hint(std::move(m)));
        }

        const std::size_t row = t.values.size();
        t.values.resize(row + inputs + outputs, T(0));
        T* const x = t.values.data() + row;
        T* const y = x + inputs;
        std::size_t start = 0;
        for (std::size_t f = 0; f < columns; ++f) {
            std::size_t stop = line.find(delimiter, start);
            if (stop == std::string_view::npos) stop = line.size();
            std::size_t a = start, b = stop;
            while (a < b && blank(line[a])) ++a;
            while (b > a && blank(line[b - 1])) --b;
            const std::string_view token = line.substr(a, b - a);

            std::string m = f == label_column ? detail::read_label(token, options.label, outputs, y)
                                              : detail::read_input(token, options.scale, x[f < label_column ? f : f - 1]);
            if (!m.empty()) {
                if (m.rfind("expected", 0) == 0) m = hint(std::move(m));
                return where(line_no, a + 1, std::move(m));
            }
            start = stop + 1;
        }
    }

    if (t.values.empty()) {
        if (text.empty()) return where(0, 0, "the file is empty: expected rows of " + std::to_string(columns) + " columns");
        return where(0, 0, "no data rows: of its " + std::to_string(line_no) + (line_no == 1 ? " line, " : " lines, ") +
                               std::to_string(line_no - blank_lines) + " are header lines (header_lines = " +
                               std::to_string(options.header_lines) + ") and " + std::to_string(blank_lines) + " blank");
    }
    return t;
}

/// The whole of a file as bytes, or an error saying why it cannot be read.
inline result<std::string> read_text_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    if (name.empty()) return io::error{"", 0, 0, "no file name given"};
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) return io::error{name, 0, 0, "file not found"};
    if (ec) return io::error{name, 0, 0, "cannot be read: " + ec.message()};
    if (status.type() == std::filesystem::file_type::directory) return io::error{name, 0, 0, "is a directory, not a file"};

    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int why = errno;
        return io::error{name, 0, 0, std::string("cannot be opened for reading") + (why != 0 ? ": " : "") +
                                          (why != 0 ? std::strerror(why) : "")};
    }
    std::string text;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return io::error{name, 0, 0, "read error"};
    return text;
}

/// A CSV file (the format in this header's first comment) as a table of `inputs` inputs
/// and `outputs` targets a row: for programs that learn the shape at run time.
template <class T>
result<table<T>> read_csv_table(const std::filesystem::path& path, std::size_t inputs, std::size_t outputs,
                                const csv_options& options = {}) {
    auto text = read_text_file(path);
    if (!text) return text.error();
    return parse_csv_table<T>(*text, path.string(), inputs, outputs, options);
}

/// The rows of a table whose shape is In inputs and Out targets, as samples; requires that shape.
template <class T, std::size_t In, std::size_t Out>
std::vector<sample<T, In, Out>> to_samples(const table<T>& t) {
    std::vector<sample<T, In, Out>> rows(t.rows());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const T* v = t.values.data() + r * (In + Out);
        for (std::size_t i = 0; i < In; ++i) rows[r].x[i] = v[i];
        for (std::size_t o = 0; o < Out; ++o) rows[r].y[o] = v[In + o];
    }
    return rows;
}

/// CSV text as samples of In inputs and Out targets; `file` only names the text in errors.
template <class T, std::size_t In, std::size_t Out>
result<std::vector<sample<T, In, Out>>> parse_csv(std::string_view text, std::string_view file, const csv_options& options = {}) {
    auto t = parse_csv_table<T>(text, file, In, Out, options);
    if (!t) return t.error();
    return to_samples<T, In, Out>(*t);
}

/// A CSV file as samples of In inputs and Out targets, e.g.
/// `read_csv<float, 64, 10>("digits.csv", {.label_column = 64, .scale = 1.0 / 16})`.
template <class T, std::size_t In, std::size_t Out>
result<std::vector<sample<T, In, Out>>> read_csv(const std::filesystem::path& path, const csv_options& options = {}) {
    auto t = read_csv_table<T>(path, In, Out, options);
    if (!t) return t.error();
    return to_samples<T, In, Out>(*t);
}

} // namespace kiln::io
