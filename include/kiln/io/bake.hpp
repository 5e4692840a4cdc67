// kiln/io/bake.hpp — write run-time values as a C++ header of constexpr data that holds exactly the same bits.
//
// Host only. Every floating-point value is written as a hexadecimal floating literal
// (0x1.466666p+2f): it states the binary value itself, so the compiler reads back the very
// bits that were written, with no decimal rounding on either side. -0.0 and subnormals
// survive too; NaN and infinities have no literal and are refused with an error.
// append_literal() is the one place values become text: for datasets
// (write_dataset_header) and for trained networks (write_header), whose headers also check,
// in a static_assert, that the baked network computes what the writing program computed.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include <kiln/activation.hpp>
#include <kiln/dataset.hpp>
#include <kiln/io/error.hpp>
#include <kiln/io/rows.hpp>
#include <kiln/layer.hpp>
#include <kiln/network.hpp>
#include <kiln/scale.hpp>

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

namespace detail {
// Every keyword and alternative token of C++20 ([lex.key], [lex.digraph]): none can name a variable.
inline constexpr std::string_view keywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
    "char", "char8_t", "char16_t", "char32_t", "class", "co_await", "co_return", "co_yield", "compl", "concept",
    "const", "const_cast", "consteval", "constexpr", "constinit", "continue", "decltype", "default", "delete", "do",
    "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend",
    "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr",
    "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires",
    "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template",
    "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
    "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};
} // namespace detail

/// Why name cannot name a variable of a generated header (which defines it at global
/// scope), or an empty string when it can: it must be a C++ identifier, not a keyword, and
/// not reserved to the implementation (no "__" anywhere, no leading '_' at global scope).
inline std::string identifier_problem(std::string_view name) {
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    std::string quoted(1, '"');
    quoted.append(name).append(1, '"');
    if (name.empty()) return "an empty name is not a C++ identifier";
    if (!letter(name[0])) return quoted + " is not a C++ identifier (it must start with a letter)";
    for (char c : name)
        if (!letter(c) && !(c >= '0' && c <= '9'))
            return quoted + " is not a C++ identifier (only letters, digits and '_')";
    for (std::string_view k : detail::keywords)
        if (name == k) return quoted + " is a C++ keyword";
    if (name.find("__") != std::string_view::npos) return quoted + " is reserved to the implementation (it contains \"__\")";
    if (name[0] == '_') return quoted + " is reserved to the implementation at global scope (it starts with '_')";
    return {};
}

/// True when name can name a variable in a generated header (identifier_problem says why not).
inline bool is_identifier(std::string_view name) { return identifier_problem(name).empty(); }

/// The lines a generated header starts with: `// description`, `#pragma once` and an
/// include of each of `includes` (by default kiln/dataset.hpp, what a baked dataset needs).
inline void write_header_prologue(std::ostream& os, std::string_view description,
                                  std::initializer_list<std::string_view> includes = {"kiln/dataset.hpp"}) {
    os << "// " << description << "\n#pragma once\n\n";
    for (std::string_view i : includes) os << "#include <" << i << ">\n";
}

namespace detail {

// The rows a dataset writer reads, whatever holds them: a count, a shape, and row r's
// inputs x(r) and targets y(r) as pointers. One for samples (a kiln::dataset, a vector or
// span of kiln::sample, whose shape is a type), one for an io::table (shape known at run
// time), so the one writer below serves both.
template <class T, std::size_t In, std::size_t Out>
struct sample_rows_of {
    using value_type = T;
    dataset_view<T, In, Out> rows;
    std::size_t size() const noexcept { return rows.size(); }
    static constexpr std::size_t inputs = In, outputs = Out;
    const T* x(std::size_t r) const noexcept { return rows[r].x; }
    const T* y(std::size_t r) const noexcept { return rows[r].y; }
};
template <class T>
struct table_rows_of {
    using value_type = T;
    const table<T>& rows;
    std::size_t size() const noexcept { return rows.rows(); }
    std::size_t inputs = rows.inputs, outputs = rows.outputs;
    const T* x(std::size_t r) const noexcept { return rows.input(r).data(); }
    const T* y(std::size_t r) const noexcept { return rows.target(r).data(); }
};

// (A span parameter alone would not deduce T, In, Out: hence one overload per holder.)
template <class T, std::size_t In, std::size_t Out>
sample_rows_of<T, In, Out> rows_of(dataset_view<T, In, Out> rows) noexcept { return {rows}; }
template <class T, std::size_t In, std::size_t Out>
sample_rows_of<T, In, Out> rows_of(const std::vector<sample<T, In, Out>>& rows) noexcept { return {rows}; }
template <class T, std::size_t N, std::size_t In, std::size_t Out>
sample_rows_of<T, In, Out> rows_of(const dataset<T, N, In, Out>& rows) noexcept { return {rows}; }
template <class T>
table_rows_of<T> rows_of(const table<T>& rows) noexcept { return {rows}; }

template <class Rows>
concept dataset_rows = requires(const Rows& rows) { detail::rows_of(rows); };

template <class Rows>
using rows_value_t = typename decltype(detail::rows_of(std::declval<const Rows&>()))::value_type;

// "NaN", "+infinity" or "-infinity": what a value with no literal is, for messages.
template <class T>
std::string non_finite_name(T v) { return std::isnan(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity"; }

// Appends "{v0, v1, ...}" (a line break after every `per_line` values, 0: none) to s, or
// returns the index of the value that has no literal.
template <bakeable T>
std::optional<std::size_t> append_list(std::string& s, const T* v, std::size_t count, std::size_t per_line = 0,
                                       std::string_view indent = "") {
    s += '{';
    for (std::size_t i = 0; i < count; ++i) {
        if (i != 0) s += per_line != 0 && i % per_line == 0 ? ",\n" + std::string(indent) : std::string(", ");
        if (!append_literal(s, v[i])) return i;
    }
    s += '}';
    return std::nullopt;
}

// The definition of one dataset, built whole before anything is written so that a value
// with no literal leaves the stream untouched.
template <class Rows>
result<std::string> dataset_definition(const Rows& rows, std::string_view name) {
    using T = typename Rows::value_type;
    if (const std::string why = identifier_problem(name); !why.empty())
        return io::error{"", 0, 0, "the dataset name " + why};
    const std::size_t n = rows.size(), in = rows.inputs, out = rows.outputs;
    if (n == 0) return io::error{"", 0, 0, "no rows to write to " + std::string(name) + " (a kiln::dataset holds at least one)"};
    if (in == 0 || out == 0) return io::error{"", 0, 0, "a row needs at least one input and one target"};

    std::string s = "\ninline constexpr kiln::dataset<";
    s += type_name<T>();
    s += ", " + std::to_string(n) + ", " + std::to_string(in) + ", " + std::to_string(out) + "> ";
    s += name;
    s += "{{\n";
    std::string problem;
    const auto values = [&](std::size_t r, const T* v, std::size_t count, const char* member) {
        const auto bad = append_list(s, v, count);
        if (bad)
            problem = std::string(name) + ".rows[" + std::to_string(r) + "]." + member + "[" + std::to_string(*bad) +
                      "] is " + non_finite_name(v[*bad]) + ", which no C++ literal can hold";
        return !bad;
    };
    for (std::size_t r = 0; r < n; ++r) {
        s += "    {";
        if (!values(r, rows.x(r), in, "x")) return io::error{"", 0, 0, std::move(problem)};
        s += ", ";
        if (!values(r, rows.y(r), out, "y")) return io::error{"", 0, 0, std::move(problem)};
        s += "},\n";
    }
    s += "}};\n";
    return s;
}

} // namespace detail

/// Writes `inline constexpr kiln::dataset<T, N, In, Out> name{{...}};` holding the rows
/// (a kiln::dataset, a std::vector or span of kiln::sample, or an io::table) bit for bit.
/// On error (a name that is not a usable identifier, no rows, NaN or infinity) nothing is written.
template <detail::dataset_rows Rows>
    requires bakeable<detail::rows_value_t<Rows>>
result<void> write_dataset_definition(std::ostream& os, const Rows& rows, std::string_view name) {
    auto text = detail::dataset_definition(detail::rows_of(rows), name);
    if (!text) return text.error();
    os << *text;
    return {};
}

/// A whole header defining one dataset, `name`: the prologue, then the definition.
template <detail::dataset_rows Rows>
    requires bakeable<detail::rows_value_t<Rows>>
result<void> write_dataset_header(std::ostream& os, const Rows& rows, std::string_view name) {
    std::ostringstream body;
    if (auto r = write_dataset_definition(body, rows, name); !r) return r;
    write_header_prologue(os, "Generated by kiln::io::write_dataset_header: do not edit.");
    os << body.str();
    return {};
}

/// Replaces the file at path with text, or says why it could not. A file that already
/// holds exactly this text is left alone, modification time included, so a build that
/// regenerates a header with the same content does not recompile what includes it.
/// Otherwise the text goes to a temporary file beside it first and is renamed over it,
/// so a failed write never leaves a half-written header for a build to pick up.
inline result<void> write_text_file(const std::filesystem::path& path, std::string_view text) {
    const std::string name = path.string();
    if (name.empty()) return io::error{"", 0, 0, "no file name given"};
    {
        std::ifstream old(path, std::ios::binary);
        if (old) {
            std::string existing(text.size() + 1, '\0');  // one more: a longer file must not look equal
            old.read(existing.data(), static_cast<std::streamsize>(existing.size()));
            if (static_cast<std::size_t>(old.gcount()) == text.size() && std::string_view(existing).substr(0, text.size()) == text)
                return {};
        }
    }
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

namespace detail {
// Text written to the file at path (see write_text_file), an error from making it naming the file.
inline result<void> write_made_text(const std::filesystem::path& path, const result<std::string>& text) {
    if (!text) {
        io::error e = text.error();
        e.file = path.string();
        return e;
    }
    return write_text_file(path, *text);
}
template <class Write>
result<std::string> text_of(Write write) {
    std::ostringstream os;
    if (auto r = write(os); !r) return r.error();
    return os.str();
}
} // namespace detail

/// write_dataset_header into the file at path (replaced whole, left as it was on error or
/// when it already holds this header).
template <detail::dataset_rows Rows>
    requires bakeable<detail::rows_value_t<Rows>>
result<void> write_dataset_header(const std::filesystem::path& path, const Rows& rows, std::string_view name) {
    return detail::write_made_text(path, detail::text_of([&](std::ostream& os) { return write_dataset_header(os, rows, name); }));
}

// ---------------------------------------------------------------- baking a network

namespace detail {
template <class>
inline constexpr bool no_spelling = false;
}

/// The C++ spelling of a type a baked network names: type_spelling<T>::name() is e.g.
/// "kiln::sigmoid". Specialised for every activation in kiln/activation.hpp, for
/// kiln::dense and for kiln::network; an activation of your own needs a specialisation
/// (`template <> struct kiln::io::type_spelling<my_act> { static std::string name() {...} };`).
template <class T>
struct type_spelling {
    static_assert(detail::no_spelling<T>,
                  "kiln::io::type_spelling: write_header cannot spell this activation (or layer) in C++; specialise kiln::io::type_spelling for it");
    static std::string name();
};

template <> struct type_spelling<float> { static std::string name() { return "float"; } };
template <> struct type_spelling<double> { static std::string name() { return "double"; } };
template <> struct type_spelling<identity> { static std::string name() { return "kiln::identity"; } };
template <> struct type_spelling<sigmoid> { static std::string name() { return "kiln::sigmoid"; } };
template <> struct type_spelling<fast_sigmoid> { static std::string name() { return "kiln::fast_sigmoid"; } };
template <> struct type_spelling<hard_sigmoid> { static std::string name() { return "kiln::hard_sigmoid"; } };
template <> struct type_spelling<kiln::tanh> { static std::string name() { return "kiln::tanh"; } };
template <> struct type_spelling<relu> { static std::string name() { return "kiln::relu"; } };
template <> struct type_spelling<softmax> { static std::string name() { return "kiln::softmax"; } };
template <unsigned Num, unsigned Den>
struct type_spelling<leaky_relu_with<Num, Den>> {
    static std::string name() { return "kiln::leaky_relu_with<" + std::to_string(Num) + ", " + std::to_string(Den) + ">"; }
};
/// kiln::dense<In, Out, Activation> (with ", kiln::no_bias" for a layer without biases).
template <std::size_t In, std::size_t Out, class Activation, bias_option Bias>
struct type_spelling<dense<In, Out, Activation, Bias>> {
    static std::string name() {
        return "kiln::dense<" + std::to_string(In) + ", " + std::to_string(Out) + ", " + type_spelling<Activation>::name() +
               (Bias.enabled ? "" : ", kiln::no_bias") + ">";
    }
};
template <class T, class... L>
struct type_spelling<network<T, L...>> {
    static std::string name() { return "kiln::network<" + type_spelling<T>::name() + ((", " + type_spelling<L>::name()) + ...) + ">"; }
};

template <class Net>
concept bakeable_network = requires(const Net& net) {
    typename Net::value_type;
    Net::depth;
    net.predict(std::declval<const typename Net::input_type&>());
} && bakeable<typename Net::value_type>;

/// What write_header puts in a header besides the network (a kiln::network Net).
template <class Net>
struct header_options {
    using T = typename Net::value_type;
    /// The header's first line (after "// "); empty: "Generated by kiln::io::write_header: do not edit."
    std::string_view comment = {};
    /// The reference input, Net::inputs values (e.g. a dataset's first row, `rows[0].x`);
    /// empty: every input 0.5. The writer computes the network's output for it with
    /// net.predict at run time, and the header checks in a static_assert that the baked
    /// network gives that output bit for bit.
    std::span<const T> reference_input = {};
    /// The input scaling the network was trained behind (kiln/scale.hpp), baked as
    /// `inline constexpr kiln::scaler<T, Net::inputs> <name>_scaler{...};`; null: none.
    /// (The reference input above is what the network itself takes: already scaled.)
    const kiln::scaler<T, Net::inputs>* scaler = nullptr;
    /// More objects baked into the same header, appended after the network: definitions
    /// (e.g. from write_dataset_definition) and what they include.
    std::string_view extra_definitions = {};
    std::span<const std::string_view> extra_includes = {};
};

namespace detail {
template <bakeable_network Net>
result<std::string> network_header(const Net& net, std::string_view name, const header_options<Net>& o) {
    using T = typename Net::value_type;
    const std::string n(name);
    const std::string type = n + "_t", input = n + "_reference_input", output = n + "_reference_output",
                      scaler = n + "_scaler";
    if (const std::string why = identifier_problem(n); !why.empty()) return io::error{"", 0, 0, "the network name " + why};
    if (n.back() == '_')  // the only way a valid name can make an invalid one with the suffixes below
        return io::error{"", 0, 0, "the network name \"" + n + "\" ends with '_', so the names made from it (" + type +
                                       ", ...) would contain \"__\", which is reserved to the implementation"};
    if (o.comment.find_first_of("\r\n") != std::string_view::npos)
        return io::error{"", 0, 0, "the header's comment must be one line"};
    if (!o.reference_input.empty() && o.reference_input.size() != Net::inputs)
        return io::error{"", 0, 0, "the reference input holds " + std::to_string(o.reference_input.size()) + " values; " + n +
                                       " takes " + std::to_string(Net::inputs)};

    typename Net::input_type x{};
    for (std::size_t i = 0; i < Net::inputs; ++i) x[i] = o.reference_input.empty() ? T(0.5) : o.reference_input[i];
    const typename Net::output_type y = net.predict(x);  // at run time, by the writing program

    std::ostringstream head;
    write_header_prologue(head, o.comment.empty() ? "Generated by kiln::io::write_header: do not edit." : o.comment,
                          {"array", "bit", "cstdint", "kiln/activation.hpp", "kiln/layer.hpp", "kiln/network.hpp"});
    if (o.scaler) head << "#include <kiln/scale.hpp>\n";
    for (std::string_view i : o.extra_includes) head << "#include <" << i << ">\n";
    std::string s = head.str();
    s += "\nusing " + type + " = " + type_spelling<Net>::name() + ";\n\ninline constexpr " + type + " " + n + "{\n";

    std::optional<io::error> bad;
    net.for_each_layer([&](auto k, const auto& p) {
        if (bad) return;
        using P = std::remove_cvref_t<decltype(p)>;
        const std::string layer = n + ".layer<" + std::to_string(k()) + ">()";
        s += "    " + type + "::params_type<" + std::to_string(k()) + ">{\n        .w = ";
        // .w and .b are copied as the storage they are, in their order; P::outputs values a line.
        if (const auto i = append_list(s, p.w, std::size(p.w), P::outputs, "              "))
            bad = io::error{"", 0, 0, layer + ".w[" + std::to_string(*i) + "] is " + non_finite_name(p.w[*i]) + ", which no C++ literal can hold"};
        if constexpr (P::has_bias) {
            s += ",\n        .b = ";
            if (const auto i = append_list(s, p.b, std::size(p.b)); i && !bad)
                bad = io::error{"", 0, 0, layer + ".b[" + std::to_string(*i) + "] is " + non_finite_name(p.b[*i]) + ", which no C++ literal can hold"};
        }
        s += "},\n";
    });
    if (bad) return *bad;
    s += "};\n";

    s += "\n// A reference input and the output the writing program computed for it at run time; the\n"
         "// static_assert checks that the compiler, running the baked network, gets the same bits.\n";
    s += "inline constexpr " + type + "::input_type " + input + "{";
    if (append_list(s, x.data(), x.size())) return io::error{"", 0, 0, "the reference input is not finite"};
    s += "};\ninline constexpr " + type + "::output_type " + output + "{";
    if (const auto i = append_list(s, y.data(), y.size()))
        return io::error{"", 0, 0, n + ".predict(reference input)[" + std::to_string(*i) + "] is " + non_finite_name(y[*i]) +
                                       ", which no C++ literal can hold"};
    const std::string bits = "std::array<std::" + std::string(sizeof(T) == 4 ? "uint32_t" : "uint64_t") + ", " +
                             std::to_string(Net::outputs) + ">";
    s += "};\nstatic_assert(std::bit_cast<" + bits + ">(" + n + ".predict(" + input + ")) == std::bit_cast<" + bits + ">(" + output +
         "),\n              \"" + n + ": the baked network does not reproduce, bit for bit, the output the writing program computed\");\n";
    if (o.scaler) {
        s += "\n// The input scaling " + n + " was trained behind: " + n + ".predict(" + scaler + "(raw input)).\n";
        s += "inline constexpr kiln::scaler<" + std::string(type_name<T>()) + ", " + std::to_string(Net::inputs) + "> " + scaler +
             "{\n    .offset = ";
        for (const auto& [values, member] : {std::pair{o.scaler->offset, "offset"}, std::pair{o.scaler->factor, "factor"}}) {
            if (member[0] == 'f') s += ",\n    .factor = ";
            if (const auto i = append_list(s, values, Net::inputs, 8, "               "))
                return io::error{"", 0, 0, scaler + "." + member + "[" + std::to_string(*i) + "] is " + non_finite_name(values[*i]) +
                                               ", which no C++ literal can hold"};
        }
        s += "};\n";
    }
    s += o.extra_definitions;
    return s;
}
} // namespace detail

/// Writes a self-contained header defining the network: `using <name>_t = kiln::network<...>;`
/// spelled out, `inline constexpr <name>_t <name>{...};` with every weight and bias as an
/// exact literal, a reference input and output (`<name>_reference_input`, ..._output)
/// checked bit for bit by a static_assert, then the options' scaler (`<name>_scaler`) and
/// extra definitions. On error (a name that is a keyword, reserved or
/// not an identifier; a weight or output that is NaN or infinite; a reference input of the
/// wrong size) nothing is written.
template <bakeable_network Net>
result<void> write_header(std::ostream& os, const Net& net, std::string_view name, const header_options<Net>& options = {}) {
    auto text = detail::network_header(net, name, options);
    if (!text) return text.error();
    os << *text;
    return {};
}

/// write_header into the file at path: replaced atomically, and only when its content changes.
template <bakeable_network Net>
result<void> write_header(const std::filesystem::path& path, const Net& net, std::string_view name,
                          const header_options<Net>& options = {}) {
    return detail::write_made_text(path, detail::network_header(net, name, options));
}

} // namespace kiln::io
