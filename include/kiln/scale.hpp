// kiln/scale.hpp — per-column input scaling fitted on training rows: x' = (x - offset) * factor.
//
// A network trained on raw columns whose ranges differ by orders of magnitude (a price in
// thousands next to a ratio in 0..1) learns slowly or not at all: the wide columns dominate
// the first layer's sums and its gradients. kiln::scaler<T, N> is the cure as a plain value:
// fitted once on the training rows (fit_standardizer, fit_min_max), applied to the training
// and held-out rows alike, and kept beside the network (kiln::scaled_model) so the same
// scaling runs at inference, including in a baked binary. Everything is constexpr and
// freestanding: a scaler can be fitted inside the compiler on a kiln::dataset, or at run time
// on the vector of kiln::sample that kiln::io::read_csv returns.
//
// Statistics are computed in double, for float data too, on each column divided by a power
// of two near its largest magnitude (exact, so the bits are those of the plain sums, and no
// sum or square can overflow), then rounded once to T. A column that is constant on the
// training rows gets factor 1 (it is only shifted to 0), so it never divides by zero.
// Bad data never passes silently: a NaN or inf among the inputs, or a column whose spread
// gives a factor that is 0 or inf in T, gives a scaler that changes nothing and a status
// saying which row or column; inside the compiler each is a compile error naming it.
#pragma once

#include <array>
#include <cstddef>
#include <iterator>
#include <limits>
#include <span>
#include <type_traits>

#include "dataset.hpp"
#include "math.hpp"

namespace kiln {

namespace detail {
template <class S, class T, std::size_t N>
inline constexpr bool is_mutable_sample_of = false;
template <class T, std::size_t N, std::size_t Out>
inline constexpr bool is_mutable_sample_of<sample<T, N, Out>, T, N> = true;
} // namespace detail

/// Per-column scaling of N inputs: x'[i] = (x[i] - offset[i]) * factor[i], in T.
/// An aggregate literal type, so it can be a constexpr variable and be baked with a network.
template <class T, std::size_t N>
struct scaler {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "kiln::scaler: T must be float or double");
    static_assert(N > 0, "kiln::scaler: a scaler needs at least one column");
    using value_type = T;
    static constexpr std::size_t columns = N;

    T offset[N];
    T factor[N];

    /// The scaler that changes nothing (offset 0, factor 1).
    static constexpr scaler identity() noexcept {
        scaler s{};
        for (std::size_t i = 0; i < N; ++i) s.factor[i] = T(1);
        return s;
    }

    /// Scales x in place.
    constexpr void apply(T (&x)[N]) const noexcept {
        for (std::size_t i = 0; i < N; ++i) x[i] = (x[i] - offset[i]) * factor[i];
    }
    /// x scaled (a copy).
    constexpr std::array<T, N> operator()(const std::array<T, N>& x) const noexcept {
        std::array<T, N> r{};
        for (std::size_t i = 0; i < N; ++i) r[i] = (x[i] - offset[i]) * factor[i];
        return r;
    }
    /// A sample with its inputs scaled and its targets kept.
    template <std::size_t Out>
    constexpr sample<T, N, Out> operator()(const sample<T, N, Out>& s) const noexcept {
        sample<T, N, Out> r = s;
        apply(r.x);
        return r;
    }
    /// Scales the inputs of every sample in place (targets are kept): a run-time
    /// vector of kiln::sample, a std::array, a C array or a std::span of samples.
    template <class Rows>
    constexpr void apply_to(Rows&& rows) const noexcept {
        using row_type = std::remove_reference_t<decltype(*std::data(rows))>;
        static_assert(detail::is_mutable_sample_of<row_type, T, N>,
                      "kiln::scaler::apply_to: the rows must be writable samples of the scaler's value type with as many inputs as it has columns");
        row_type* const p = std::data(rows);
        const std::size_t n = std::size(rows);
        for (std::size_t k = 0; k < n; ++k) apply(p[k].x);
    }

    friend constexpr bool operator==(const scaler&, const scaler&) = default;
};

/// Why fitting gave the scaler it gave.
enum class scale_status {
    fitted,        ///< every column fitted
    no_rows,       ///< the data was empty: the scaler changes nothing
    bad_data,      ///< an input is NaN or inf (bad_row, bad_column): the scaler changes nothing
    out_of_range,  ///< a column's spread makes its factor 0 or inf in T (bad_column): the scaler changes nothing
};

/// What fit_standardizer and fit_min_max return: the scaler itself (it converts to, and
/// works as, a kiln::scaler<T, N>) and how the fitting went.
template <class T, std::size_t N>
struct scaler_fit : scaler<T, N> {
    scale_status status = scale_status::fitted;
    std::size_t bad_row = 0;     ///< the first row holding a NaN or inf, when status is bad_data
    std::size_t bad_column = 0;  ///< its column, or the column out of range

    /// The scaler alone (what to keep and bake).
    constexpr const scaler<T, N>& get() const noexcept { return *this; }
    /// True when every column was fitted.
    constexpr explicit operator bool() const noexcept { return status == scale_status::fitted; }
};

namespace detail {

/// Called when the rows to fit a scaler on hold a NaN or inf: being non-constexpr, reaching
/// it inside the compiler is a compile error naming it (the notes give row and column).
inline void scaling_data_holds_a_nan_or_inf(std::size_t /*row*/, std::size_t /*column*/) {}

/// Called when a column's spread is too wide or too narrow for T (its factor would be 0 or inf).
inline void scaling_column_spread_out_of_range_for_the_value_type(std::size_t /*column*/) {}

template <class Sample>
constexpr bool find_bad_input(const Sample* rows, std::size_t n, std::size_t& row, std::size_t& column) {
    // Comparisons only: arithmetic on a NaN is itself an error inside Clang's evaluator.
    using T = typename Sample::value_type;
    constexpr T max = std::numeric_limits<T>::max();
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t i = 0; i < Sample::inputs; ++i)
            if (!(rows[r].x[i] >= -max && rows[r].x[i] <= max)) {
                row = r;
                column = i;
                return true;
            }
    return false;
}

/// One column's statistics, in double: what fit_standardizer and fit_min_max turn into a scaler.
struct column_fit {
    double offset = 0.0;
    double spread = 0.0;    ///< the deviation or max - min; the factor is its inverse
    bool overflow = false;  ///< the spread exceeds double's range
};

/// A power of two p with |v| / 2 <= p < 2 |v| (for |v| >= the least normal double): dividing
/// a column whose largest magnitude is |v| by p is exact (but for values 2^1000 times smaller,
/// which turn subnormal), leaves every value within +-2, so no sum or square of n of them
/// overflows, and gives the bits the undivided arithmetic gives wherever that does not overflow.
constexpr double power_of_two_scale(double v) {
    v = v < 0 ? -v : v;
    double p = 1.0;
    while (p < v / 2) p *= 2;
    while (p / 2 >= v && p / 2 >= std::numeric_limits<double>::min()) p /= 2;
    return p;
}

/// Fits every column of `data` with `column(rows, n, i, lo, hi, p)` (p: the column's
/// power_of_two_scale) after the common checks.
template <class Data, class Column>
constexpr auto fit_scaler(const Data& data, Column column) {
    const auto rows = kiln::view(data);
    using sample_type = typename std::remove_cvref_t<decltype(rows)>::value_type;
    using T = typename sample_type::value_type;
    constexpr std::size_t N = sample_type::inputs;
    scaler_fit<T, N> fit{scaler<T, N>::identity()};
    const std::size_t n = rows.size();
    if (n == 0) {
        fit.status = scale_status::no_rows;
        return fit;
    }
    if (find_bad_input(rows.data(), n, fit.bad_row, fit.bad_column)) {
        scaling_data_holds_a_nan_or_inf(fit.bad_row, fit.bad_column);
        fit.status = scale_status::bad_data;
        return fit;
    }
    scaler<T, N> s = scaler<T, N>::identity();
    for (std::size_t i = 0; i < N; ++i) {
        T lo = rows[0].x[i], hi = lo;
        for (std::size_t r = 1; r < n; ++r) {
            const T v = rows[r].x[i];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        if (lo == hi) {  // a constant column is only shifted
            s.offset[i] = lo;
            continue;
        }
        const double p = power_of_two_scale(-double(lo) > double(hi) ? double(lo) : double(hi));
        const column_fit c = column(rows.data(), n, i, double(lo), double(hi), p);
        // 1 / spread must be a finite double (tested without overflowing: a constant
        // evaluation refuses inf), then a finite, non-zero T.
        constexpr double max = std::numeric_limits<double>::max();
        const bool finite = !c.overflow && !(c.spread < 1.0 && c.spread * max < 1.0);
        const double factor = finite ? 1.0 / c.spread : 0.0;
        if (!finite || factor > double(std::numeric_limits<T>::max()) || T(factor) == T(0)) {
            scaling_column_spread_out_of_range_for_the_value_type(i);
            fit.status = scale_status::out_of_range;
            fit.bad_column = i;
            return fit;
        }
        s.offset[i] = T(c.offset);
        s.factor[i] = T(factor);
    }
    static_cast<scaler<T, N>&>(fit) = s;
    return fit;
}

} // namespace detail

/// Standardisation fitted on `data` (a kiln::dataset, or any contiguous run of kiln::samples):
/// offset = column mean, factor = 1 / population standard deviation (two passes in double,
/// kiln::math::sqrt), so each training column ends with mean 0 and deviation 1.
/// Constant columns get factor 1.
template <class Data>
constexpr auto fit_standardizer(const Data& data) {
    return detail::fit_scaler(data, [](const auto* rows, std::size_t n, std::size_t i, double, double, double p) {
        // Sums of x / p (p a power of two): the same bits as sums of x, but never overflowing.
        double sum = 0.0;
        for (std::size_t r = 0; r < n; ++r) sum += double(rows[r].x[i]) / p;
        const double mean = sum / double(n);
        // Two passes: the squared deviations from the mean, not E[x^2] - mean^2, which cancels.
        double squares = 0.0;
        for (std::size_t r = 0; r < n; ++r) {
            const double d = double(rows[r].x[i]) / p - mean;
            squares += d * d;
        }
        return detail::column_fit{mean * p, kiln::math::sqrt(squares / double(n)) * p};
    });
}

/// Min-max scaling fitted on `data`: offset = column minimum, factor = 1 / (max - min), so the
/// training column maps onto [0, 1] (up to one rounding in T). Constant columns get factor 1.
template <class Data>
constexpr auto fit_min_max(const Data& data) {
    return detail::fit_scaler(data, [](const auto*, std::size_t, std::size_t, double lo, double hi, double p) {
        // hi - lo overflows double when the column spans most of its range.
        if (hi / p - lo / p > std::numeric_limits<double>::max() / p) return detail::column_fit{lo, 0.0, true};
        return detail::column_fit{lo, hi - lo};
    });
}

/// A copy of a dataset with every sample's inputs scaled (targets kept); for run-time rows
/// in a vector, copy them and call s.apply_to(rows).
template <class T, std::size_t N, std::size_t In, std::size_t Out>
constexpr dataset<T, N, In, Out> scaled(const dataset<T, N, In, Out>& data, const scaler<T, In>& s) noexcept {
    dataset<T, N, In, Out> r = data;
    for (auto& row : r.rows) s.apply(row.x);
    return r;
}

/// A network behind its input scaler: predict() takes raw inputs, so kiln::accuracy,
/// kiln::evaluate and kiln::confusion_matrix work on unscaled rows, and a baked model keeps
/// its scaling. `kiln::scaled_model model{scaler, net};`
template <class Net>
struct scaled_model {
    using value_type = typename Net::value_type;
    using network_type = Net;
    static constexpr std::size_t inputs = Net::inputs;
    static constexpr std::size_t outputs = Net::outputs;
    using input_type = std::array<value_type, inputs>;
    using output_type = std::array<value_type, outputs>;

    kiln::scaler<value_type, inputs> scale;
    Net network;

    /// The network's output for one raw (unscaled) input.
    constexpr output_type predict(const input_type& x) const { return network.predict(scale(x)); }
    /// The same from and into plain arrays.
    constexpr void predict(const value_type (&x)[inputs], value_type (&y)[outputs]) const {
        value_type v[inputs]{};
        for (std::size_t i = 0; i < inputs; ++i) v[i] = x[i];
        scale.apply(v);
        network.predict(v, y);
    }
};
template <class T, std::size_t N, class Net>
scaled_model(scaler<T, N>, Net) -> scaled_model<Net>;
template <class T, std::size_t N, class Net>
scaled_model(scaler_fit<T, N>, Net) -> scaled_model<Net>;

} // namespace kiln
