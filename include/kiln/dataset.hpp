// kiln/dataset.hpp — labelled samples: fixed-size datasets for the compiler, views for run time.
//
// A sample stores its input and target as plain arrays: constant evaluation reaches
// plain-array elements several times more cheaply than through std::array::operator[]
// (see the README's "Compile-time cost" section). Aggregate initialisation reads the
// same either way:  kiln::dataset<double, 2, 2, 1> d{{ {{0, 1}, {1}}, {{1, 1}, {0}} }};
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <span>
#include <type_traits>

namespace kiln {

/// One labelled example: `In` inputs and `Out` targets (one-hot for classes).
template <class T, std::size_t In, std::size_t Out>
struct sample {
    static_assert(In > 0 && Out > 0, "kiln::sample: a sample needs at least one input and one target");
    using value_type = T;
    static constexpr std::size_t inputs = In;
    static constexpr std::size_t outputs = Out;

    T x[In];
    T y[Out];

    /// The input as a std::array (a copy).
    constexpr std::array<T, In> input() const {
        std::array<T, In> r{};
        for (std::size_t i = 0; i < In; ++i) r[i] = x[i];
        return r;
    }
    /// The target as a std::array (a copy).
    constexpr std::array<T, Out> target() const {
        std::array<T, Out> r{};
        for (std::size_t i = 0; i < Out; ++i) r[i] = y[i];
        return r;
    }
    friend constexpr bool operator==(const sample&, const sample&) = default;
};

/// A read-only run of samples: what fit() and the metrics take. Any contiguous
/// storage of samples (a kiln::dataset, a vector or array of samples, a C array) converts to it.
template <class T, std::size_t In, std::size_t Out>
using dataset_view = std::span<const sample<T, In, Out>>;

/// N samples with their sizes in the type: a literal type, so a dataset can be a
/// `constexpr` variable (in .rodata) and feed training inside the compiler.
template <class T, std::size_t N, std::size_t In, std::size_t Out>
struct dataset {
    static_assert(N > 0, "kiln::dataset: a dataset needs at least one sample");
    using value_type = T;
    using sample_type = sample<T, In, Out>;
    static constexpr std::size_t inputs = In;
    static constexpr std::size_t outputs = Out;

    sample_type rows[N];

    static constexpr std::size_t size() noexcept { return N; }
    constexpr const sample_type* data() const noexcept { return rows; }
    constexpr sample_type* data() noexcept { return rows; }
    constexpr const sample_type& operator[](std::size_t i) const noexcept { return rows[i]; }
    constexpr sample_type& operator[](std::size_t i) noexcept { return rows[i]; }
    constexpr const sample_type* begin() const noexcept { return rows; }
    constexpr const sample_type* end() const noexcept { return rows + N; }
    constexpr operator dataset_view<T, In, Out>() const noexcept { return {rows, N}; }
    friend constexpr bool operator==(const dataset&, const dataset&) = default;
};

/// The samples of any dataset-like argument as a view (the one entry point the
/// training and metric functions use).
template <class T, std::size_t N, std::size_t In, std::size_t Out>
constexpr dataset_view<T, In, Out> view(const dataset<T, N, In, Out>& d) noexcept { return d; }
template <class T, std::size_t In, std::size_t Out>
constexpr dataset_view<T, In, Out> view(dataset_view<T, In, Out> d) noexcept { return d; }
/// Any other contiguous storage of samples: a vector, an array, a C array.
template <class Rows>
    requires requires(const Rows& r) {
        { std::data(r) } -> std::convertible_to<const sample<typename std::remove_cvref_t<decltype(*std::data(r))>::value_type,
                                                            std::remove_cvref_t<decltype(*std::data(r))>::inputs,
                                                            std::remove_cvref_t<decltype(*std::data(r))>::outputs>*>;
        std::size(r);
    }
constexpr auto view(const Rows& r) noexcept {
    using s = std::remove_cvref_t<decltype(*std::data(r))>;
    return dataset_view<typename s::value_type, s::inputs, s::outputs>(std::data(r), std::size(r));
}

/// The rule of the split every published kiln figure uses: row i of a data set is held out
/// when i % every == every - 1 (every 5th row, from the 5th). split_every and its run-time
/// counterparts in kiln/io/rows.hpp all ask this.
constexpr bool held_out(std::size_t i, std::size_t every) noexcept { return i % every == every - 1; }

/// The agreed split (held_out() above): {train, test}, their sizes in the type.
template <std::size_t Every, class T, std::size_t N, std::size_t In, std::size_t Out>
constexpr auto split_every(const dataset<T, N, In, Out>& d) {
    static_assert(Every >= 2, "kiln::split_every: Every must be at least 2 (one row in Every is held out)");
    static_assert(N >= Every, "kiln::split_every: the dataset has fewer rows than Every, so no row is held out");
    constexpr std::size_t n_test = N / Every;
    struct result {
        dataset<T, N - n_test, In, Out> train;
        dataset<T, n_test, In, Out> test;
    } r{};
    std::size_t a = 0, b = 0;
    for (std::size_t i = 0; i < N; ++i) {
        if (held_out(i, Every)) r.test.rows[b++] = d.rows[i];
        else r.train.rows[a++] = d.rows[i];
    }
    return r;
}

} // namespace kiln
