// kiln/io/rows.hpp — rows held at run time: a table whose shape is a run-time value, and the agreed split over run-time rows.
//
// kiln::sample<T, In, Out> puts the shape in the type, which is what training wants. A
// program that learns the shape from its command line (tools/bake_csv) cannot name that
// type, so kiln::io::table keeps the same values flat with the shape beside them; reading
// and baking go through it, and read_csv<T, In, Out> copies a table into samples.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include <kiln/dataset.hpp>

namespace kiln::io {

/// Rows of `inputs` values then `outputs` targets, stored row after row in `values`.
template <class T>
struct table {
    std::size_t inputs = 0;
    std::size_t outputs = 0;
    std::vector<T> values;

    /// The number of values in one row.
    std::size_t width() const noexcept { return inputs + outputs; }
    /// The number of rows (0 for a table without columns).
    std::size_t rows() const noexcept { return width() == 0 ? 0 : values.size() / width(); }
    /// Row r's inputs; requires r < rows().
    std::span<const T> input(std::size_t r) const noexcept { return {values.data() + r * width(), inputs}; }
    /// Row r's targets; requires r < rows().
    std::span<const T> target(std::size_t r) const noexcept { return {values.data() + r * width() + inputs, outputs}; }
};

/// Training and held-out rows, in their original order within each.
template <class Rows>
struct split_rows {
    Rows train;
    Rows test;
};

namespace detail {
// A split with fewer than two parts is a programming error (k == 0 would divide by zero,
// k == 1 would hold out everything): say so and stop, as kiln::split_every refuses to compile.
inline void check_split(std::size_t k) {
    if (k < 2) {
        std::fprintf(stderr, "kiln::io::split_every: k must be at least 2 (one row in k is held out), not %zu\n", k);
        std::abort();
    }
}
} // namespace detail

/// The agreed split (kiln::split_every's, at run time): row i is held out when i % k == k - 1.
/// Requires k >= 2 (aborts with a message otherwise); fewer than k rows give an empty test part.
template <class T, std::size_t In, std::size_t Out>
split_rows<std::vector<sample<T, In, Out>>> split_every(dataset_view<T, In, Out> rows, std::size_t k) {
    detail::check_split(k);
    split_rows<std::vector<sample<T, In, Out>>> r;
    r.test.reserve(rows.size() / k);
    r.train.reserve(rows.size() - rows.size() / k);
    for (std::size_t i = 0; i < rows.size(); ++i) (held_out(i, k) ? r.test : r.train).push_back(rows[i]);
    return r;
}

/// The same, for the vector kiln::io::read_csv returns.
template <class T, std::size_t In, std::size_t Out>
split_rows<std::vector<sample<T, In, Out>>> split_every(const std::vector<sample<T, In, Out>>& rows, std::size_t k) {
    return io::split_every(dataset_view<T, In, Out>(rows), k);
}

/// The same, for a table: both parts keep its shape.
template <class T>
split_rows<table<T>> split_every(const table<T>& rows, std::size_t k) {
    detail::check_split(k);
    split_rows<table<T>> r{{rows.inputs, rows.outputs, {}}, {rows.inputs, rows.outputs, {}}};
    const std::size_t n = rows.rows(), w = rows.width();
    r.test.values.reserve(n / k * w);
    r.train.values.reserve((n - n / k) * w);
    for (std::size_t i = 0; i < n; ++i) {
        auto& part = held_out(i, k) ? r.test : r.train;
        part.values.insert(part.values.end(), rows.values.begin() + static_cast<std::ptrdiff_t>(i * w),
                           rows.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * w));
    }
    return r;
}

} // namespace kiln::io
