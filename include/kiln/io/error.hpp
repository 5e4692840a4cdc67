// kiln/io/error.hpp — host I/O errors that say where (file:line:column) and what, returned instead of thrown.
//
// C++20 has no std::expected, so kiln::io::result<V> is a small stand-in holding either a
// value or a kiln::io::error. Nothing in kiln/io throws on bad input or a bad path; the only
// exception that can still escape is std::bad_alloc from the allocations themselves.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace kiln::io {

/// What went wrong and where, printed the way compilers print diagnostics
/// ("digits.csv:12:7: expected a number, found \"x1\"") so editors can jump to it.
struct error {
    std::string file;        ///< the path as the caller gave it; empty when no file is involved
    std::size_t line = 0;    ///< 1-based physical line; 0 when the error concerns the whole file
    std::size_t column = 0;  ///< 1-based byte column; 0 when the error is not tied to a column
    std::string message;     ///< what was expected and what was found

    friend bool operator==(const error&, const error&) = default;
};

/// The error as one line: "file:line:column: message", dropping the parts that are 0 or empty.
inline std::string to_string(const error& e) {
    std::string s = e.file;
    if (!s.empty() && e.line != 0) {
        s += ':';
        s += std::to_string(e.line);
        if (e.column != 0) {
            s += ':';
            s += std::to_string(e.column);
        }
    }
    if (!s.empty()) s += ": ";
    s += e.message;
    return s;
}

/// Prints to_string(e).
inline std::ostream& operator<<(std::ostream& os, const error& e) { return os << to_string(e); }

namespace detail {
// Using a value that is not there is a programming error, not bad data: say so and stop,
// rather than throw (kiln/io promises not to) or read a variant member that does not exist.
[[noreturn]] inline void no_value(const error& e) {
    std::fprintf(stderr, "kiln::io::result: value() called on an error: %s\n", to_string(e).c_str());
    std::abort();
}
[[noreturn]] inline void no_error() {
    std::fprintf(stderr, "kiln::io::result: error() called on a value\n");
    std::abort();
}
} // namespace detail

/// Either a V or a kiln::io::error. Converts to true when it holds a value.
/// operator* and operator-> require a value (unchecked, like std::optional's);
/// value() and error() check and abort with a message when misused.
template <class V>
class [[nodiscard]] result {
    static_assert(!std::is_same_v<std::remove_cv_t<V>, io::error>, "kiln::io::result: the value cannot itself be an error");
    static_assert(!std::is_reference_v<V>, "kiln::io::result: hold a value, not a reference");

    std::variant<V, io::error> state_;

public:
    result(V v) : state_(std::in_place_index<0>, std::move(v)) {}
    result(io::error e) : state_(std::in_place_index<1>, std::move(e)) {}

    bool has_value() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    V& operator*() & noexcept { return *std::get_if<0>(&state_); }
    const V& operator*() const& noexcept { return *std::get_if<0>(&state_); }
    V&& operator*() && noexcept { return std::move(*std::get_if<0>(&state_)); }
    V* operator->() noexcept { return std::get_if<0>(&state_); }
    const V* operator->() const noexcept { return std::get_if<0>(&state_); }

    V& value() & {
        if (!has_value()) detail::no_value(*std::get_if<1>(&state_));
        return **this;
    }
    const V& value() const& {
        if (!has_value()) detail::no_value(*std::get_if<1>(&state_));
        return **this;
    }
    V&& value() && {
        if (!has_value()) detail::no_value(*std::get_if<1>(&state_));
        return std::move(**this);
    }

    const io::error& error() const& {
        if (has_value()) detail::no_error();
        return *std::get_if<1>(&state_);
    }
};

/// Success with nothing to return, or a kiln::io::error (what writing a file gives).
template <>
class [[nodiscard]] result<void> {
    bool ok_ = true;
    io::error error_;

public:
    result() = default;
    result(io::error e) : ok_(false), error_(std::move(e)) {}

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }

    const io::error& error() const& {
        if (ok_) detail::no_error();
        return error_;
    }
};

} // namespace kiln::io
