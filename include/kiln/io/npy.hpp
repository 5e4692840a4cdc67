// kiln/io/npy.hpp — NumPy .npy arrays and np.savez .npz archives, read and written exactly, and network weights in PyTorch or Keras layout.
//
// Host only. What is read, and how:
//  - .npy versions 1.0, 2.0 and 3.0 (the header length is a uint16 for 1.0, a uint32 for
//    2.0 and 3.0); the header dict in any key order, with any spacing and a trailing comma;
//    shapes (), (3,), (64, 32) of any rank; 'fortran_order': True data is transposed into
//    C order; little- ('<') and big-endian ('>') data, whatever the host's byte order.
//  - dtypes float32 '<f4', float64 '<f8', int8 '|i1', int32 '<i4' (and '>f4', '>f8', '>i4');
//    any other dtype is refused by name.
//  - a value converts into the element type asked for only when no value can change:
//    int8 into anything, int32 into int32 or double, float32 into float or double. float64
//    (or int32) into float rounds, and is refused unless the caller passes
//    {.allow_rounding = true}; floating-point values never become integers.
//  - .npz: a zip archive of stored (method 0) members "<name>.npy", as np.savez writes it;
//    the central directory is read (zip64 fields too), every member's CRC-32 is checked, and
//    a deflated member (np.savez_compressed) is refused by name.
// Writing gives .npy 1.0 (2.0 when the header needs it), headers padded with spaces and
// '\n' so that magic + header is a multiple of 64 bytes, little-endian data, and .npz
// archives of stored members with correct CRC-32s that np.load reads. Numbers are written
// and read with std::to_chars/from_chars, so no locale can turn (2621, 401) into (2,621, 401).
//
// A network's weights go through p.weight(o, i) and p.bias(o) only, never raw storage, in the
// layout the caller names (never guessed; a silent transpose is the classic bug):
//  - layout::pytorch, as nn.Sequential's state_dict: "<K>.weight" shaped [out, in] and
//    "<K>.bias" shaped [out] for kiln layer K (name prefixes can be given instead of K);
//  - layout::keras, as Keras names Dense layers: "dense.kernel"/"dense.bias" for layer 0,
//    "dense_<K>.kernel"/"dense_<K>.bias" for layer K, kernel [in, out], bias [out].
// Every error names the file, the array and what was expected; nothing throws (but
// std::bad_alloc) and a network is changed only when the whole archive fits it.
#pragma once

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <kiln/io/bake.hpp>
#include <kiln/io/csv.hpp>
#include <kiln/io/error.hpp>

namespace kiln::io {

/// The element types a .npy array can hold in kiln.
enum class npy_dtype { int8, int32, float32, float64 };

/// The element types kiln reads .npy data into and writes it from.
template <class T>
concept npy_value = std::same_as<T, float> || std::same_as<T, double> || std::same_as<T, std::int8_t> ||
                    std::same_as<T, std::int32_t>;

/// The dtype whose values are T's.
template <npy_value T>
inline constexpr npy_dtype npy_dtype_of = std::same_as<T, float>    ? npy_dtype::float32
                                          : std::same_as<T, double> ? npy_dtype::float64
                                          : std::same_as<T, std::int8_t> ? npy_dtype::int8
                                                                          : npy_dtype::int32;

/// NumPy's name of a dtype: "float32", "int8", ...
constexpr std::string_view name(npy_dtype d) noexcept {
    switch (d) {
    case npy_dtype::int8: return "int8";
    case npy_dtype::int32: return "int32";
    case npy_dtype::float32: return "float32";
    case npy_dtype::float64: return "float64";
    }
    return "?";
}

/// An n-dimensional array held in C order (row-major: the last index varies fastest).
/// A 0-d array has an empty shape and one value.
template <npy_value T>
struct npy_array {
    std::vector<std::size_t> shape;
    std::vector<T> values;

    /// The number of values the shape holds (1 for a 0-d array).
    std::size_t size() const noexcept {
        std::size_t n = 1;
        for (std::size_t d : shape) n *= d;
        return n;
    }
    friend bool operator==(const npy_array&, const npy_array&) = default;
};

/// How values that are not exactly representable in the element type asked for are treated.
struct npy_options {
    /// float64 or int32 data into float: round each value to the nearest float (a value
    /// beyond float's range is still refused). Off: such data is refused, naming its dtype.
    bool allow_rounding = false;
};

/// A shape as NumPy prints it: "()", "(3,)", "(64, 32)".
inline std::string shape_string(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t k = 0; k < shape.size(); ++k) {
        if (k != 0) s += ", ";
        char buf[24];
        s.append(buf, std::to_chars(buf, buf + sizeof buf, shape[k]).ptr);
    }
    if (shape.size() == 1) s += ',';
    return s + ')';
}

namespace detail {

inline constexpr std::string_view npy_magic{"\x93NUMPY", 6};

constexpr std::size_t item_size(npy_dtype d) noexcept {
    return d == npy_dtype::int8 ? 1 : d == npy_dtype::float64 ? 8 : 4;
}

// Unsigned little- or big-endian integers of n bytes from p (which holds them).
inline std::uint64_t load_uint(const char* p, std::size_t n, bool big_endian) noexcept {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const auto byte = static_cast<std::uint64_t>(static_cast<unsigned char>(p[big_endian ? k : n - 1 - k]));
        v = (v << 8) | byte;
    }
    return v;
}
inline void store_uint(std::string& out, std::uint64_t v, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) out += static_cast<char>((v >> (8 * k)) & 0xff);
}

// a * b, or false when it overflows.
inline bool multiply(std::size_t a, std::size_t b, std::size_t& r) noexcept {
    if (b != 0 && a > std::numeric_limits<std::size_t>::max() / b) return false;
    r = a * b;
    return true;
}

struct npy_header {
    npy_dtype dtype = npy_dtype::float64;
    bool big_endian = false;
    bool fortran_order = false;
    std::vector<std::size_t> shape;
    std::string descr;
    std::size_t data_offset = 0;  // where the array's bytes start
    std::size_t count = 0;        // values the shape holds
};

// A reader of the header dict's Python literal text; each read_* returns false on a syntax error.
struct dict_reader {
    std::string_view s;
    std::size_t pos = 0;

    void spaces() {
        while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')) ++pos;
    }
    bool eat(char c) {
        spaces();
        if (pos < s.size() && s[pos] == c) {
            ++pos;
            return true;
        }
        return false;
    }
    bool peek(char c) {
        spaces();
        return pos < s.size() && s[pos] == c;
    }
    bool read_string(std::string& out) {
        spaces();
        if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"')) return false;
        const char quote = s[pos++];
        const std::size_t end = s.find(quote, pos);
        if (end == std::string_view::npos) return false;
        out.assign(s.substr(pos, end - pos));
        pos = end + 1;
        return out.find('\\') == std::string::npos;  // no escapes in the strings NumPy writes
    }
    bool read_bool(bool& out) {
        spaces();
        for (const auto& [word, value] : {std::pair<std::string_view, bool>{"True", true}, {"False", false}})
            if (s.substr(pos, word.size()) == word) {
                pos += word.size();
                out = value;
                return true;
            }
        return false;
    }
    bool read_size(std::size_t& out) {
        spaces();
        const auto [p, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), out);
        if (ec != std::errc{}) return false;
        pos = static_cast<std::size_t>(p - s.data());
        if (pos < s.size() && s[pos] == 'L') ++pos;  // Python 2's NumPy wrote (3L, 4L)
        return true;
    }
    bool read_shape(std::vector<std::size_t>& out) {
        if (!eat('(')) return false;
        out.clear();
        if (eat(')')) return true;
        for (;;) {
            std::size_t d = 0;
            if (!read_size(d)) return false;
            out.push_back(d);
            if (eat(')')) return true;
            if (!eat(',')) return false;
            if (eat(')')) return true;
        }
    }
};

inline result<npy_header> parse_npy_header(std::string_view bytes, std::string_view file) {
    const auto fail = [&](std::string m) { return io::error{std::string(file), 0, 0, std::move(m)}; };
    if (bytes.size() < 8 || bytes.substr(0, 6) != npy_magic)
        return fail(bytes.substr(0, std::min<std::size_t>(bytes.size(), 6)) == npy_magic.substr(0, std::min<std::size_t>(bytes.size(), 6))
                        ? "truncated .npy file: " + std::to_string(bytes.size()) + " bytes, fewer than the magic and version"
                        : "not a .npy file: it does not start with the magic \"\\x93NUMPY\" (found " +
                              detail::quoted(bytes.substr(0, 6)) + ")");
    const auto major = static_cast<unsigned char>(bytes[6]), minor = static_cast<unsigned char>(bytes[7]);
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        return fail("unsupported .npy version " + std::to_string(major) + "." + std::to_string(minor) +
                    " (kiln reads 1.0, 2.0 and 3.0)");
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    const std::size_t start = 8 + length_bytes;
    if (bytes.size() < start)
        return fail("truncated header: the file ends inside the header length field (" + std::to_string(bytes.size()) +
                    " bytes)");
    const auto length = static_cast<std::size_t>(load_uint(bytes.data() + 8, length_bytes, false));
    if (length > bytes.size() - start)
        return fail("truncated header: version " + std::to_string(major) + ".0 header claims " + std::to_string(length) +
                    " bytes, the file has " + std::to_string(bytes.size() - start) + " after the length field");

    dict_reader r{bytes.substr(start, length)};
    npy_header h;
    h.data_offset = start + length;
    const auto syntax = [&](std::string_view what) {
        return fail("malformed header: expected " + std::string(what) + " at byte " + std::to_string(start + r.pos) +
                    ", found " + detail::quoted(r.s.substr(std::min(r.pos, r.s.size()), 20)));
    };
    if (!r.eat('{')) return syntax("'{'");
    bool has_descr = false, has_order = false, has_shape = false;
    while (!r.eat('}')) {
        std::string key;
        if (!r.read_string(key)) return syntax("a quoted key or '}'");
        if (!r.eat(':')) return syntax("':'");
        bool* seen = key == "descr" ? &has_descr : key == "fortran_order" ? &has_order : key == "shape" ? &has_shape : nullptr;
        if (seen == nullptr)
            return fail("malformed header: unexpected key " + detail::quoted(key) + " (a .npy header holds 'descr', 'fortran_order' and 'shape')");
        if (*seen) return fail("malformed header: key '" + key + "' given twice");
        *seen = true;
        if (key == "descr" && !r.read_string(h.descr)) return syntax("the dtype as a quoted string (e.g. '<f4')");
        if (key == "fortran_order" && !r.read_bool(h.fortran_order)) return syntax("True or False");
        if (key == "shape" && !r.read_shape(h.shape)) return syntax("the shape as a tuple of integers (e.g. (64, 32))");
        if (!r.eat(',') && !r.peek('}')) return syntax("',' or '}'");
    }
    r.spaces();
    if (r.pos != r.s.size()) return syntax("only spaces and a newline after the header's '}'");
    if (!has_descr || !has_order || !has_shape)
        return fail(std::string("malformed header: no '") + (!has_descr ? "descr" : !has_order ? "fortran_order" : "shape") +
                    "' key");

    const std::string_view d = h.descr;
    const std::string_view type = d.size() == 3 ? d.substr(1) : std::string_view{};
    const char order = d.empty() ? '?' : d[0];
    if (type == "i1" && (order == '|' || order == '<' || order == '>')) h.dtype = npy_dtype::int8;
    else if (type == "i4" && (order == '<' || order == '>')) h.dtype = npy_dtype::int32;
    else if (type == "f4" && (order == '<' || order == '>')) h.dtype = npy_dtype::float32;
    else if (type == "f8" && (order == '<' || order == '>')) h.dtype = npy_dtype::float64;
    else
        return fail("dtype " + detail::quoted(d) + " is not one kiln reads (float32 '<f4', float64 '<f8', int8 '|i1', int32 '<i4', "
                    "or '>' for big-endian)");
    h.big_endian = order == '>';

    std::size_t count = 1, size = 0;
    for (std::size_t dim : h.shape)
        if (!multiply(count, dim, count))
            return fail("shape " + shape_string(h.shape) + " holds more values than memory can index");
    if (!multiply(count, item_size(h.dtype), size))
        return fail("shape " + shape_string(h.shape) + " holds more values than memory can index");
    const std::size_t have = bytes.size() - h.data_offset;
    if (have != size)
        return fail(std::string(have < size ? "truncated data" : "trailing bytes") + ": shape " + shape_string(h.shape) +
                    " of " + std::string(name(h.dtype)) + " needs " + std::to_string(size) + " bytes, the file has " +
                    std::to_string(have) + " after the header");
    h.count = count;
    return h;
}

// Value k of the data (in file order) as a double or int64, byte-swapped as needed.
inline double load_float(const char* p, npy_dtype d, bool big_endian) noexcept {
    if (d == npy_dtype::float32) return std::bit_cast<float>(static_cast<std::uint32_t>(load_uint(p, 4, big_endian)));
    return std::bit_cast<double>(load_uint(p, 8, big_endian));
}
inline std::int64_t load_int(const char* p, npy_dtype d, bool big_endian) noexcept {
    if (d == npy_dtype::int8) return static_cast<std::int8_t>(static_cast<unsigned char>(*p));
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(load_uint(p, 4, big_endian)));
}

// Whether values of dtype `from` become T unchanged, whatever they are.
template <npy_value T>
constexpr bool lossless(npy_dtype from) noexcept {
    const npy_dtype to = npy_dtype_of<T>;
    return from == to || from == npy_dtype::int8 || (from == npy_dtype::float32 && to == npy_dtype::float64) ||
           (from == npy_dtype::int32 && to == npy_dtype::float64);
}

// C-order position -> position in the file's data, for Fortran-ordered data (odometer over the shape).
inline std::vector<std::size_t> fortran_positions(const std::vector<std::size_t>& shape, std::size_t count) {
    std::vector<std::size_t> pos(count);
    const std::size_t n = shape.size();
    std::vector<std::size_t> stride(n), index(n, 0);
    for (std::size_t k = 0, s = 1; k < n; ++k) {
        stride[k] = s;
        s *= shape[k];
    }
    std::size_t f = 0;
    for (std::size_t c = 0; c < count; ++c) {
        pos[c] = f;
        for (std::size_t k = n; k-- > 0;) {
            f += stride[k];
            if (++index[k] < shape[k]) break;
            f -= stride[k] * shape[k];
            index[k] = 0;
        }
    }
    return pos;
}

} // namespace detail

/// The .npy file held in `bytes` as an array of T; `file` only names it in errors.
template <npy_value T>
result<npy_array<T>> parse_npy(std::string_view bytes, std::string_view file, const npy_options& options = {}) {
    auto h = detail::parse_npy_header(bytes, file);
    if (!h) return h.error();
    const auto fail = [&](std::string m) { return io::error{std::string(file), 0, 0, std::move(m)}; };
    constexpr npy_dtype to = npy_dtype_of<T>;
    const bool rounds = to == npy_dtype::float32 && (h->dtype == npy_dtype::float64 || h->dtype == npy_dtype::int32);
    if (!detail::lossless<T>(h->dtype) && !(rounds && options.allow_rounding))
        return fail("dtype " + std::string(name(h->dtype)) + " ('" + h->descr + "') cannot be read into " +
                    std::string(name(to)) + " without changing values" +
                    (rounds ? " (pass {.allow_rounding = true} to round to the nearest float)" : ""));

    npy_array<T> a{std::move(h->shape), std::vector<T>(h->count)};
    const std::size_t item = detail::item_size(h->dtype);
    const char* const data = bytes.data() + h->data_offset;
    std::vector<std::size_t> positions;
    if (h->fortran_order && a.shape.size() > 1) positions = detail::fortran_positions(a.shape, h->count);
    const bool is_float = h->dtype == npy_dtype::float32 || h->dtype == npy_dtype::float64;
    for (std::size_t c = 0; c < h->count; ++c) {
        const char* p = data + (positions.empty() ? c : positions[c]) * item;
        if (is_float) {
            const double v = detail::load_float(p, h->dtype, h->big_endian);
            if constexpr (std::is_floating_point_v<T>) {
                // Converting a finite double beyond float's range is undefined behaviour.
                if (std::isfinite(v) && std::fabs(v) > static_cast<double>(std::numeric_limits<T>::max()))
                    return fail("value " + detail::shortest(v) + " at position " + std::to_string(c) +
                                " is out of range for " + std::string(name(to)));
                a.values[c] = static_cast<T>(v);
            }
        } else {
            a.values[c] = static_cast<T>(detail::load_int(p, h->dtype, h->big_endian));
        }
    }
    return a;
}

/// The .npy file at path as an array of T.
template <npy_value T>
result<npy_array<T>> load_npy(const std::filesystem::path& path, const npy_options& options = {}) {
    auto bytes = read_text_file(path);
    if (!bytes) return bytes.error();
    return parse_npy<T>(*bytes, path.string(), options);
}

/// The array as the bytes of a .npy file (little-endian data, version 1.0 unless the header
/// needs 2.0); an error when the shape does not hold exactly values.size() values.
template <npy_value T>
result<std::string> npy_bytes(const npy_array<T>& a) {
    std::size_t count = 1;
    for (std::size_t d : a.shape)
        if (!detail::multiply(count, d, count)) count = std::numeric_limits<std::size_t>::max();
    if (count != a.values.size())
        return io::error{"", 0, 0, "shape " + shape_string(a.shape) + " holds " + std::to_string(count) + " values, the array " +
                                       std::to_string(a.values.size())};
    constexpr npy_dtype d = npy_dtype_of<T>;
    std::string dict = std::string("{'descr': '") + (d == npy_dtype::int8 ? "|i1" : d == npy_dtype::int32 ? "<i4" : d == npy_dtype::float32 ? "<f4" : "<f8") +
                       "', 'fortran_order': False, 'shape': " + shape_string(a.shape) + ", }";
    // magic + version + length field + dict + padding + '\n' is a multiple of 64 bytes.
    const auto padded = [&](std::size_t preamble) { return (preamble + dict.size() + 1 + 63) / 64 * 64 - preamble; };
    const bool v1 = padded(10) <= 0xffff;
    const std::size_t preamble = v1 ? 10 : 12, length = padded(preamble);
    if (length > 0xffffffffu) return io::error{"", 0, 0, "the array's shape " + shape_string(a.shape) + " makes too long a header"};
    std::string out(detail::npy_magic);
    out += static_cast<char>(v1 ? 1 : 2);
    out += '\0';
    detail::store_uint(out, length, v1 ? 2 : 4);
    out += dict;
    out.append(length - dict.size() - 1, ' ');
    out += '\n';
    out.reserve(out.size() + a.values.size() * sizeof(T));
    for (T v : a.values) {
        if constexpr (sizeof(T) == 1) out += static_cast<char>(v);
        else if constexpr (sizeof(T) == 4) detail::store_uint(out, std::bit_cast<std::uint32_t>(v), 4);
        else detail::store_uint(out, std::bit_cast<std::uint64_t>(v), 8);
    }
    return out;
}

/// Writes the array as a .npy file at path (replaced whole, or left as it was on error).
template <npy_value T>
result<void> save_npy(const std::filesystem::path& path, const npy_array<T>& a) {
    auto bytes = npy_bytes(a);
    if (!bytes) return io::error{path.string(), 0, 0, bytes.error().message};
    return write_text_file(path, *bytes);
}

// ---------------------------------------------------------------- .npz archives

/// One array of an archive: its name (the member's name without ".npy") and its .npy bytes.
struct npz_member {
    std::string name;
    std::string npy;
};

/// The arrays of an .npz archive, in the archive's order; `file` names it in errors.
struct npz_archive {
    std::string file;
    std::vector<npz_member> members;

    /// The member called name, or nullptr.
    const npz_member* find(std::string_view name) const noexcept {
        for (const auto& m : members)
            if (m.name == name) return &m;
        return nullptr;
    }
};

namespace detail {

inline constexpr std::array<std::uint32_t, 256> crc_table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        t[n] = c;
    }
    return t;
}();

/// The CRC-32 zip uses (ISO-HDLC, reflected 0xEDB88320).
constexpr std::uint32_t crc32(std::string_view s) noexcept {
    std::uint32_t c = 0xffffffffu;
    for (char ch : s) c = crc_table[(c ^ static_cast<unsigned char>(ch)) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

// A name in a message, as NumPy's messages show names: 'w.npy' (escaped, and cut when long).
inline std::string single_quoted(std::string_view s) { return '\'' + escaped(s, true) + '\'' + cut_note(s); }

// What an archive holds, for a message about an array it lacks: " (the archive holds 'a', 'b')".
inline std::string holdings(const npz_archive& archive) {
    if (archive.members.empty()) return " (the archive is empty)";
    std::string held;
    for (std::size_t k = 0; k < archive.members.size() && k < 8; ++k)
        held += (k == 0 ? "" : ", ") + single_quoted(archive.members[k].name);
    if (archive.members.size() > 8) held += ", ... (" + std::to_string(archive.members.size()) + " in all)";
    return " (the archive holds " + held + ")";
}

} // namespace detail

/// The .npz archive held in `bytes` (as np.savez writes it); `file` only names it in errors.
inline result<npz_archive> parse_npz(std::string_view bytes, std::string_view file) {
    const auto fail = [&](std::string m) { return io::error{std::string(file), 0, 0, std::move(m)}; };
    const auto u = [&](std::size_t at, std::size_t n) { return detail::load_uint(bytes.data() + at, n, false); };
    // The end of central directory record: 22 bytes and a comment of at most 65535, at the end.
    constexpr std::size_t eocd_size = 22;
    if (bytes.size() < eocd_size)
        return fail(bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)
                        ? "truncated .npz archive: " + std::to_string(bytes.size()) + " bytes"
                        : "not an .npz archive (a zip file): it is " + std::to_string(bytes.size()) + " bytes long");
    std::size_t eocd = std::string_view::npos;
    for (std::size_t at = bytes.size() - eocd_size + 1; at-- > 0 && bytes.size() - at <= eocd_size + 0xffff;)
        if (u(at, 4) == 0x06054b50 && at + eocd_size + u(at + 20, 2) == bytes.size()) {
            eocd = at;
            break;
        }
    if (eocd == std::string_view::npos)
        return fail(bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)
                        ? "truncated .npz archive: no end of central directory record (the zip's last part is missing)"
                        : "not an .npz archive: no zip end of central directory record (found " + detail::quoted(bytes.substr(0, 6)) +
                              " at the start)");
    if (u(eocd + 4, 2) != 0 || u(eocd + 6, 2) != 0) return fail("an .npz archive split over several disks is not supported");
    std::uint64_t entries = u(eocd + 10, 2), cd_size = u(eocd + 12, 4), cd_offset = u(eocd + 16, 4);
    if (entries == 0xffff || cd_size == 0xffffffffu || cd_offset == 0xffffffffu) {
        // zip64: a locator just before the record points at the zip64 end of central directory.
        if (eocd < 20 || u(eocd - 20, 4) != 0x07064b50) return fail("malformed zip64 archive: no zip64 end of central directory locator");
        const std::uint64_t at = u(eocd - 20 + 8, 8);
        if (at > bytes.size() || bytes.size() - at < 56 || u(static_cast<std::size_t>(at), 4) != 0x06064b50)
            return fail("malformed zip64 archive: no zip64 end of central directory record where its locator points");
        entries = u(static_cast<std::size_t>(at) + 32, 8);
        cd_size = u(static_cast<std::size_t>(at) + 40, 8);
        cd_offset = u(static_cast<std::size_t>(at) + 48, 8);
    }
    if (cd_offset > bytes.size() || cd_size > bytes.size() - cd_offset)
        return fail("truncated .npz archive: the central directory (" + std::to_string(cd_size) + " bytes at " +
                    std::to_string(cd_offset) + ") lies beyond the file's " + std::to_string(bytes.size()) + " bytes");
    // Each central directory entry is at least 46 bytes, which bounds `entries` before anything is reserved.
    if (entries > cd_size / 46) return fail("malformed .npz archive: " + std::to_string(entries) + " entries cannot fit a " +
                                            std::to_string(cd_size) + "-byte central directory");

    npz_archive archive{std::string(file), {}};
    archive.members.reserve(static_cast<std::size_t>(entries));
    std::size_t at = static_cast<std::size_t>(cd_offset);
    const std::size_t cd_end = at + static_cast<std::size_t>(cd_size);
    for (std::uint64_t e = 0; e < entries; ++e) {
        if (cd_end - at < 46 || u(at, 4) != 0x02014b50)
            return fail("malformed .npz archive: central directory entry " + std::to_string(e) + " is not where expected (byte " +
                        std::to_string(at) + ")");
        const auto flags = u(at + 8, 2), method = u(at + 10, 2);
        const auto crc = static_cast<std::uint32_t>(u(at + 16, 4));
        std::uint64_t packed = u(at + 20, 4), size = u(at + 24, 4);
        const std::size_t name_length = u(at + 28, 2), extra_length = u(at + 30, 2), comment_length = u(at + 32, 2);
        std::uint64_t local = u(at + 42, 4);
        if (cd_end - at - 46 < name_length + extra_length + comment_length)
            return fail("malformed .npz archive: central directory entry " + std::to_string(e) + " runs past the directory");
        const std::string_view raw_name = bytes.substr(at + 46, name_length);
        const std::string label = "npz member " + detail::single_quoted(raw_name);
        // zip64 extended information: the 8-byte values for the fields that hold 0xffffffff, in order.
        const std::string_view extra = bytes.substr(at + 46 + name_length, extra_length);
        for (std::size_t x = 0; x + 4 <= extra.size();) {
            const auto id = detail::load_uint(extra.data() + x, 2, false);
            const std::size_t n = detail::load_uint(extra.data() + x + 2, 2, false);
            if (n > extra.size() - x - 4) return fail("malformed .npz archive: " + label + " has a malformed extra field");
            if (id == 0x0001) {
                std::size_t y = x + 4;
                for (std::uint64_t* field : {&size, &packed, &local}) {
                    if (*field != 0xffffffffu) continue;
                    if (y + 8 > x + 4 + n) return fail("malformed zip64 archive: " + label + "'s zip64 field is too short");
                    *field = detail::load_uint(extra.data() + y, 8, false);
                    y += 8;
                }
            }
            x += 4 + n;
        }
        at += 46 + name_length + extra_length + comment_length;

        if (flags & 1) return fail(label + " is encrypted; kiln reads only np.savez archives");
        if (method == 8)
            return fail(label + " is compressed (np.savez_compressed); kiln reads only np.savez archives");
        if (method != 0)
            return fail(label + " uses zip compression method " + std::to_string(method) + "; kiln reads only np.savez archives (stored members)");
        if (packed != size)
            return fail("malformed .npz archive: " + label + " is stored but its sizes differ (" + std::to_string(packed) +
                        " and " + std::to_string(size) + ")");
        if (local > bytes.size() || bytes.size() - local < 30 || u(static_cast<std::size_t>(local), 4) != 0x04034b50)
            return fail("malformed .npz archive: " + label + "'s local header is not at byte " + std::to_string(local));
        const std::size_t data_at = static_cast<std::size_t>(local) + 30 + u(static_cast<std::size_t>(local) + 26, 2) +
                                    u(static_cast<std::size_t>(local) + 28, 2);
        if (data_at > bytes.size() || size > bytes.size() - data_at)
            return fail("truncated .npz archive: " + label + " needs " + std::to_string(size) + " bytes at byte " +
                        std::to_string(data_at) + ", the file has " + std::to_string(bytes.size()));
        const std::string_view data = bytes.substr(data_at, static_cast<std::size_t>(size));
        if (const std::uint32_t computed = detail::crc32(data); computed != crc) {
            char hex[48];
            std::snprintf(hex, sizeof hex, "stored 0x%08x, computed 0x%08x", static_cast<unsigned>(crc), static_cast<unsigned>(computed));
            return fail(label + " fails its CRC-32 check (" + hex + "): the archive is corrupt");
        }
        std::string member_name(raw_name);
        if (member_name.size() > 4 && member_name.ends_with(".npy")) member_name.resize(member_name.size() - 4);
        if (archive.find(member_name) != nullptr) return fail("malformed .npz archive: two members are called " + detail::single_quoted(raw_name));
        archive.members.push_back({std::move(member_name), std::string(data)});
    }
    return archive;
}

/// The .npz archive at path.
inline result<npz_archive> load_npz(const std::filesystem::path& path) {
    auto bytes = read_text_file(path);
    if (!bytes) return bytes.error();
    return parse_npz(*bytes, path.string());
}

/// The array `name` of the archive as an array of T: errors name the archive and the array.
template <npy_value T>
result<npy_array<T>> array(const npz_archive& archive, std::string_view name, const npy_options& options = {}) {
    const npz_member* m = archive.find(name);
    if (m == nullptr) return io::error{archive.file, 0, 0, "no array " + detail::single_quoted(name) + detail::holdings(archive)};
    auto a = parse_npy<T>(m->npy, archive.file, options);
    if (!a) return io::error{archive.file, 0, 0, "array '" + m->name + "': " + a.error().message};
    return a;
}

/// The archive as the bytes of an .npz file: stored members "<name>.npy" with their
/// CRC-32s, which np.load reads. Refuses duplicate or empty names and archives beyond 4 GiB.
inline result<std::string> npz_bytes(const std::vector<npz_member>& members) {
    std::string out, directory;
    if (members.size() >= 0xffff) return io::error{"", 0, 0, "kiln writes .npz archives of fewer than 65535 arrays"};
    for (std::size_t k = 0; k < members.size(); ++k) {
        const npz_member& m = members[k];
        if (m.name.empty()) return io::error{"", 0, 0, "array " + std::to_string(k) + " has no name"};
        for (std::size_t j = 0; j < k; ++j)
            if (members[j].name == m.name) return io::error{"", 0, 0, "two arrays are called " + detail::quoted(m.name)};
        const std::string file = m.name + ".npy";
        if (file.size() > 0xffff) return io::error{"", 0, 0, "array name " + detail::quoted(m.name) + " is too long for a zip archive"};
        if (out.size() > 0xffffffffu || m.npy.size() > 0xffffffffu - out.size())
            return io::error{"", 0, 0, "kiln writes .npz archives up to 4 GiB"};
        bool ascii = true;
        for (char c : file) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
        const std::uint32_t crc = detail::crc32(m.npy);
        const std::size_t offset = out.size();
        // Version 2.0, flags (bit 11: a UTF-8 name), stored, a fixed 1980-01-01 time (the same bytes every run).
        const auto common = [&](std::string& s) {
            detail::store_uint(s, 20, 2);
            detail::store_uint(s, ascii ? 0 : 0x800, 2);
            detail::store_uint(s, 0, 2);
            detail::store_uint(s, 0, 2);
            detail::store_uint(s, 0x21, 2);
            detail::store_uint(s, crc, 4);
            detail::store_uint(s, m.npy.size(), 4);
            detail::store_uint(s, m.npy.size(), 4);
            detail::store_uint(s, file.size(), 2);
            detail::store_uint(s, 0, 2);
        };
        detail::store_uint(out, 0x04034b50, 4);
        common(out);
        out += file;
        out += m.npy;
        detail::store_uint(directory, 0x02014b50, 4);
        detail::store_uint(directory, 20, 2);  // made by: version 2.0, MS-DOS attributes
        common(directory);
        detail::store_uint(directory, 0, 2);  // comment length
        detail::store_uint(directory, 0, 2);  // disk
        detail::store_uint(directory, 0, 2);  // internal attributes
        detail::store_uint(directory, 0, 4);  // external attributes
        detail::store_uint(directory, offset, 4);
        directory += file;
    }
    if (out.size() > 0xffffffffu || directory.size() > 0xffffffffu - out.size())
        return io::error{"", 0, 0, "kiln writes .npz archives up to 4 GiB"};
    const std::size_t cd_offset = out.size();
    out += directory;
    detail::store_uint(out, 0x06054b50, 4);
    detail::store_uint(out, 0, 4);  // this disk, the directory's disk
    detail::store_uint(out, members.size(), 2);
    detail::store_uint(out, members.size(), 2);
    detail::store_uint(out, directory.size(), 4);
    detail::store_uint(out, cd_offset, 4);
    detail::store_uint(out, 0, 2);  // comment length
    return out;
}

/// Writes the members as an .npz file at path (replaced whole, or left as it was on error).
inline result<void> save_npz(const std::filesystem::path& path, const std::vector<npz_member>& members) {
    auto bytes = npz_bytes(members);
    if (!bytes) return io::error{path.string(), 0, 0, bytes.error().message};
    return write_text_file(path, *bytes);
}

// ---------------------------------------------------------------- a network's weights

/// Whose conventions an archive of network weights follows; the caller always says which.
enum class layout {
    pytorch,  ///< "<K>.weight" [out, in] and "<K>.bias" [out] (nn.Sequential's state_dict of nn.Linear layers)
    keras,    ///< "dense.kernel" (layer 0) / "dense_<K>.kernel" [in, out] and ".bias" [out] (Keras' Dense names)
};

/// How a network's arrays are named in an archive, and how values convert.
struct npz_options {
    /// Layer K's name prefix (".weight"/".kernel" and ".bias" follow it). Empty: the
    /// layout's default, "<K>" for PyTorch, "dense" / "dense_<K>" for Keras. Otherwise one a
    /// layer: e.g. {"0", "2", "4"} for nn.Sequential(Linear, ReLU, Linear, ReLU, Linear).
    std::vector<std::string> layer_names = {};
    /// Passed on to the arrays' reading: float64 weights into a float network round only when set.
    bool allow_rounding = false;
};

namespace detail {

inline std::string layer_prefix(layout l, const npz_options& o, std::size_t k) {
    if (!o.layer_names.empty()) return o.layer_names[k];
    if (l == layout::pytorch) return std::to_string(k);
    return k == 0 ? "dense" : "dense_" + std::to_string(k);
}

template <class P>
std::string layer_description(std::size_t k) {
    return "layer " + std::to_string(k) + " (dense<" + std::to_string(P::inputs) + ", " + std::to_string(P::outputs) +
           (P::has_bias ? "" : ", no_bias") + ">)";
}

inline std::string layout_description(layout l, bool kernel) {
    if (!kernel) return l == layout::pytorch ? "PyTorch layout [out]" : "Keras layout [out]";
    return l == layout::pytorch ? "PyTorch layout [out, in]" : "Keras layout [in, out]";
}

template <class Net>
std::string check_names(const npz_options& o) {
    if (!o.layer_names.empty() && o.layer_names.size() != Net::depth)
        return "layer_names gives " + std::to_string(o.layer_names.size()) + " names for a network of " +
               std::to_string(Net::depth) + " layers";
    return {};
}

} // namespace detail

/// The network's weights from an archive in the named layout; `net` changes only when
/// every layer's arrays are there with the right shapes and finite values, and the
/// archive holds no other arrays.
template <class Net>
result<void> load_npz(Net& net, const npz_archive& archive, layout l, const npz_options& options = {}) {
    using T = typename Net::value_type;
    const auto fail = [&](std::string m) { return io::error{archive.file, 0, 0, std::move(m)}; };
    if (auto m = detail::check_names<Net>(options); !m.empty()) return fail(std::move(m));
    Net loaded = net;
    std::vector<std::string> used;
    std::string problem;
    loaded.for_each_layer([&](auto k, auto& p) {
        using P = std::remove_cvref_t<decltype(p)>;
        if (!problem.empty()) return;
        const std::string prefix = detail::layer_prefix(l, options, k);
        const std::string layer = detail::layer_description<P>(k);
        const std::string w_name = prefix + (l == layout::pytorch ? ".weight" : ".kernel");
        const std::string b_name = prefix + ".bias";
        const std::vector<std::size_t> w_shape =
            l == layout::pytorch ? std::vector<std::size_t>{P::outputs, P::inputs} : std::vector<std::size_t>{P::inputs, P::outputs};
        const std::vector<std::size_t> b_shape{P::outputs};
        const auto read = [&](const std::string& n, const std::vector<std::size_t>& shape, bool kernel) -> result<npy_array<T>> {
            if (archive.find(n) == nullptr)
                return fail("no array '" + n + "' for " + layer + " in " + detail::layout_description(l, kernel) +
                            detail::holdings(archive));
            auto a = array<T>(archive, n, {.allow_rounding = options.allow_rounding});
            if (!a) return a.error();
            if (a->shape != shape)
                return fail("array '" + n + "' has shape " + shape_string(a->shape) + ", expected " + shape_string(shape) +
                            " for " + layer + " in " + detail::layout_description(l, kernel));
            for (std::size_t c = 0; c < a->values.size(); ++c)
                if (!std::isfinite(a->values[c]))
                    return fail("array '" + n + "' holds " + (std::isnan(a->values[c]) ? "NaN" : "an infinity") +
                                " at position " + std::to_string(c) + " (" + layer + ")");
            return a;
        };
        auto w = read(w_name, w_shape, true);
        if (!w) {
            problem = w.error().message;
            return;
        }
        used.push_back(w_name);
        for (std::size_t o = 0; o < P::outputs; ++o)
            for (std::size_t i = 0; i < P::inputs; ++i)
                p.weight(o, i) = w->values[l == layout::pytorch ? o * P::inputs + i : i * P::outputs + o];
        if constexpr (P::has_bias) {
            auto b = read(b_name, b_shape, false);
            if (!b) {
                problem = b.error().message;
                return;
            }
            used.push_back(b_name);
            for (std::size_t o = 0; o < P::outputs; ++o) p.bias(o) = b->values[o];
        } else if (archive.find(b_name) != nullptr) {
            problem = "array '" + b_name + "' is a bias, but " + layer + " has none";
        }
    });
    if (!problem.empty()) return fail(std::move(problem));
    for (const auto& m : archive.members) {
        bool known = false;
        for (const auto& u : used) known = known || u == m.name;
        if (!known)
            return fail("array " + detail::single_quoted(m.name) + " belongs to no layer of the network (" + std::to_string(Net::depth) +
                        (Net::depth == 1 ? " layer" : " layers") + " in " +
                        (l == layout::pytorch ? "PyTorch" : "Keras") + " layout)");
    }
    net = loaded;
    return {};
}

/// The same from the .npz file at path.
template <class Net>
result<void> load_npz(Net& net, const std::filesystem::path& path, layout l, const npz_options& options = {}) {
    auto archive = load_npz(path);
    if (!archive) return archive.error();
    return load_npz(net, *archive, l, options);
}

/// The network's weights as archive members in the named layout (float32 arrays for a
/// float network, float64 for a double one); a no-bias layer gets no bias array.
template <class Net>
result<std::vector<npz_member>> npz_members(const Net& net, layout l, const npz_options& options = {}) {
    using T = typename Net::value_type;
    static_assert(std::same_as<T, float> || std::same_as<T, double>, "kiln::io::save_npz: a network of float or double");
    if (auto m = detail::check_names<Net>(options); !m.empty()) return io::error{"", 0, 0, std::move(m)};
    std::vector<npz_member> members;
    net.for_each_layer([&](auto k, const auto& p) {
        using P = std::remove_cvref_t<decltype(p)>;
        const std::string prefix = detail::layer_prefix(l, options, k);
        npy_array<T> w{l == layout::pytorch ? std::vector<std::size_t>{P::outputs, P::inputs}
                                            : std::vector<std::size_t>{P::inputs, P::outputs},
                       std::vector<T>(P::inputs * P::outputs)};
        for (std::size_t o = 0; o < P::outputs; ++o)
            for (std::size_t i = 0; i < P::inputs; ++i)
                w.values[l == layout::pytorch ? o * P::inputs + i : i * P::outputs + o] = p.weight(o, i);
        members.push_back({prefix + (l == layout::pytorch ? ".weight" : ".kernel"), *npy_bytes(w)});
        if constexpr (P::has_bias) {
            npy_array<T> b{{P::outputs}, std::vector<T>(P::outputs)};
            for (std::size_t o = 0; o < P::outputs; ++o) b.values[o] = p.bias(o);
            members.push_back({prefix + ".bias", *npy_bytes(b)});
        }
    });
    return members;
}

/// Writes the network's weights as an .npz file at path in the named layout.
template <class Net>
result<void> save_npz(const Net& net, const std::filesystem::path& path, layout l, const npz_options& options = {}) {
    auto members = npz_members(net, l, options);
    if (!members) return io::error{path.string(), 0, 0, members.error().message};
    return save_npz(path, *members);
}

} // namespace kiln::io
