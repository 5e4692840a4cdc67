// Tests for kiln/scale.hpp: fit_standardizer and fit_min_max inside the compiler (static_assert)
// and at run time on rows the compiler cannot see, with the same bits; constant columns; NaN,
// inf, empty data and out-of-range spreads reported, never turned into NaN; scaled() and
// apply_to(); scaled_model predicting through scaler and network.
#include "kiln_test.hpp"

#include <kiln/kiln.hpp>
#include <kiln/scale.hpp>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <vector>

namespace {

// Column 0: 1, 2, 3, 4 (mean 2.5, deviation sqrt(1.25)); column 1: constant 10;
// column 2: 0, 1000, 2000, 3000 (mean 1500, deviation sqrt(1250000)).
template <class T>
constexpr kiln::dataset<T, 4, 3, 1> table{{
    {{1, 10, 0}, {0}},
    {{2, 10, 1000}, {0}},
    {{3, 10, 2000}, {1}},
    {{4, 10, 3000}, {1}},
}};

constexpr double close(double a, double b) { return (a > b ? a - b : b - a) <= 1e-12 * (1 + (a > 0 ? a : -a)); }

constexpr auto standard_d = kiln::fit_standardizer(table<double>);
static_assert(standard_d.status == kiln::scale_status::fitted && static_cast<bool>(standard_d));
static_assert(standard_d.offset[0] == 2.5 && standard_d.offset[1] == 10.0 && standard_d.offset[2] == 1500.0);
static_assert(standard_d.factor[0] == 1.0 / kiln::math::sqrt(1.25), "factor = 1 / population deviation");
static_assert(standard_d.factor[1] == 1.0, "a constant column gets factor 1");
static_assert(standard_d.factor[2] == 1.0 / kiln::math::sqrt(1250000.0));

constexpr auto min_max_f = kiln::fit_min_max(table<float>);
static_assert(min_max_f.status == kiln::scale_status::fitted);
static_assert(min_max_f.offset[0] == 1.0f && min_max_f.offset[1] == 10.0f && min_max_f.offset[2] == 0.0f);
static_assert(min_max_f.factor[0] == float(1.0 / 3.0) && min_max_f.factor[1] == 1.0f &&
              min_max_f.factor[2] == float(1.0 / 3000.0));

/// Mean and population variance of column i of a dataset, in double.
template <class D>
constexpr double column_mean(const D& d, std::size_t i) {
    double s = 0;
    for (const auto& r : d) s += r.x[i];
    return s / double(D::size());
}
template <class D>
constexpr double column_variance(const D& d, std::size_t i) {
    const double m = column_mean(d, i);
    double s = 0;
    for (const auto& r : d) s += (r.x[i] - m) * (r.x[i] - m);
    return s / double(D::size());
}

// Standardised training columns have mean 0 and variance 1 (the constant one variance 0).
constexpr auto standardized = kiln::scaled(table<double>, standard_d);
static_assert(close(column_mean(standardized, 0), 0) && close(column_variance(standardized, 0), 1));
static_assert(column_mean(standardized, 1) == 0 && column_variance(standardized, 1) == 0);
static_assert(close(column_mean(standardized, 2), 0) && close(column_variance(standardized, 2), 1));
static_assert(standardized[2].y[0] == 1.0 && standardized[1].y[0] == 0.0, "targets are kept");

// Min-max maps the training columns onto [0, 1].
constexpr auto unit = kiln::scaled(table<float>, min_max_f);
static_assert(unit[0].x[0] == 0.0f && unit[3].x[0] == 1.0f && unit[0].x[2] == 0.0f && unit[3].x[2] == 1.0f);
static_assert(unit[2].x[1] == 0.0f, "a constant column is shifted to 0");

// The scaler's own operations.
static_assert(kiln::scaler<double, 2>::identity()(std::array<double, 2>{3, -4}) == std::array<double, 2>{3, -4});
static_assert(kiln::scaler<double, 2>{{1, 2}, {2, 0.5}}(std::array<double, 2>{3, 6}) == std::array<double, 2>{4, 2});
static_assert([] {
    kiln::scaler<float, 2> s{{1, 2}, {2, 0.5f}};
    float x[2] = {3, 6};
    s.apply(x);
    kiln::sample<float, 2, 1> row{{3, 6}, {7}};
    const auto r = s(row);
    return x[0] == 4 && x[1] == 2 && r.x[0] == 4 && r.x[1] == 2 && r.y[0] == 7;
}());

// A network fitted on standardised rows, behind its scaler, classifies raw rows.
using tiny_net = kiln::network<double, kiln::dense<3, 4, kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;
constexpr tiny_net tiny_trained = [] {
    auto net = tiny_net::initialized(kiln::xavier_uniform{}, kiln::seed{3});
    kiln::fit(net, kiln::scaled(table<double>, standard_d), kiln::binary_cross_entropy{},
              kiln::sgd{.learning_rate = 0.5}, {.epochs = 400});
    return net;
}();
constexpr kiln::scaled_model tiny_model{standard_d.get(), tiny_trained};
static_assert(kiln::accuracy(tiny_model, table<double>) == kiln::accuracy(tiny_trained, standardized));
static_assert(kiln::accuracy(tiny_model, table<double>) == 1.0, "the scaled toy problem is learned");

/// The rows of table<T>, read through a volatile so the compiler cannot fold the fit.
template <class T>
std::vector<kiln::sample<T, 3, 1>> run_time_rows() {
    std::vector<kiln::sample<T, 3, 1>> rows(table<T>.begin(), table<T>.end());
    volatile T one = 1;
    for (auto& r : rows)
        for (auto& v : r.x) v *= one;
    return rows;
}

template <class T, std::size_t N>
bool same_bits(const kiln::scaler<T, N>& a, const kiln::scaler<T, N>& b) {
    return std::memcmp(a.offset, b.offset, sizeof a.offset) == 0 && std::memcmp(a.factor, b.factor, sizeof a.factor) == 0;
}

} // namespace

TEST_CASE("fitting at run time gives the compiler's bits") {
    constexpr auto standard_f = kiln::fit_standardizer(table<float>);
    constexpr auto min_max_d = kiln::fit_min_max(table<double>);
    const auto rows_f = run_time_rows<float>();
    const auto rows_d = run_time_rows<double>();
    const auto s_f = kiln::fit_standardizer(rows_f);
    const auto s_d = kiln::fit_standardizer(rows_d);
    const auto m_f = kiln::fit_min_max(rows_f);
    const auto m_d = kiln::fit_min_max(rows_d);
    REQUIRE(s_f.status == kiln::scale_status::fitted);
    CHECK(same_bits(s_f.get(), standard_f.get()));
    CHECK(same_bits(s_d.get(), standard_d.get()));
    CHECK(same_bits(m_f.get(), min_max_f.get()));
    CHECK(same_bits(m_d.get(), min_max_d.get()));
}

TEST_CASE("apply_to scales vectors, arrays and spans in place and keeps targets") {
    auto rows = run_time_rows<double>();
    const auto s = kiln::fit_standardizer(rows);
    s.apply_to(rows);
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t i = 0; i < 3; ++i) CHECK(rows[r].x[i] == standardized[r].x[i]);
    CHECK(rows[2].y[0] == 1.0);

    const auto m = kiln::fit_standardizer(rows);  // fitted again on standardised rows
    CHECK(std::abs(m.offset[0]) < 1e-15);
    CHECK(std::abs(m.factor[0] - 1.0) < 1e-15);

    kiln::sample<float, 3, 1> c_array[2] = {{{1, 10, 0}, {0}}, {{4, 10, 3000}, {1}}};
    min_max_f.apply_to(c_array);
    CHECK(c_array[1].x[0] == 1.0f);
    CHECK(c_array[1].x[2] == 1.0f);
    std::array<kiln::sample<float, 3, 1>, 1> arr{{{{4, 10, 3000}, {1}}}};
    min_max_f.apply_to(std::span(arr));
    CHECK(arr[0].x[0] == 1.0f);
}

TEST_CASE("scaled_model predicts raw inputs through its scaler") {
    const auto rows = run_time_rows<double>();
    auto scaled_rows = rows;
    standard_d.apply_to(scaled_rows);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto via_model = tiny_model.predict(rows[r].input());
        const auto direct = tiny_trained.predict(scaled_rows[r].input());
        CHECK(via_model == direct);
    }
    CHECK(kiln::accuracy(tiny_model, rows) == 1.0);
    const kiln::confusion_matrix confusion(tiny_model, rows);
    CHECK(confusion(0, 0) == 2);
    CHECK(confusion(1, 1) == 2);
}

TEST_CASE("NaN and inf inputs are reported with their row and column, not fitted") {
    for (const double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity()}) {
        auto rows = run_time_rows<double>();
        rows[2].x[1] = bad;
        for (const auto& s : {kiln::fit_standardizer(rows), kiln::fit_min_max(rows)}) {
            CHECK(s.status == kiln::scale_status::bad_data);
            CHECK_FALSE(static_cast<bool>(s));
            CHECK(s.bad_row == 2);
            CHECK(s.bad_column == 1);
            CHECK(s.get() == kiln::scaler<double, 3>::identity());
        }
    }
}

TEST_CASE("a NaN in a target does not matter to the scaler") {
    auto rows = run_time_rows<float>();
    rows[0].y[0] = std::numeric_limits<float>::quiet_NaN();
    CHECK(kiln::fit_standardizer(rows).status == kiln::scale_status::fitted);
}

TEST_CASE("empty data gives the identity and says so") {
    const std::vector<kiln::sample<float, 2, 1>> none;
    const auto s = kiln::fit_standardizer(none);
    CHECK(s.status == kiln::scale_status::no_rows);
    CHECK(s.get() == kiln::scaler<float, 2>::identity());
    CHECK(kiln::fit_min_max(none).status == kiln::scale_status::no_rows);
}

TEST_CASE("a spread too wide or too narrow for the value type is reported, not turned into 0 or inf") {
    volatile double big = 1e308;
    // max - min overflows double: min-max cannot scale it.
    std::vector<kiln::sample<double, 2, 1>> wide{{{0, -big}, {0}}, {{1, big}, {1}}};
    auto m = kiln::fit_min_max(wide);
    CHECK(m.status == kiln::scale_status::out_of_range);
    CHECK(m.bad_column == 1);
    CHECK(m.get() == kiln::scaler<double, 2>::identity());
    // Standardising it is fine: the sums run on the column divided by a power of two.
    const auto w = kiln::fit_standardizer(wide);
    REQUIRE(w.status == kiln::scale_status::fitted);
    CHECK(w.offset[1] == 0.0);
    CHECK(w.factor[1] == 1.0 / 1e308);
    std::vector<kiln::sample<double, 1, 1>> huge{{{big}, {0}}, {{big * 0.9}, {1}}};
    const auto h = kiln::fit_standardizer(huge);
    REQUIRE(h.status == kiln::scale_status::fitted);
    CHECK(h.offset[0] == (big / 2 + big * 0.9 / 2));
    // A spread of one subnormal step: 1 / spread is inf.
    volatile double tiny = std::numeric_limits<double>::denorm_min();
    std::vector<kiln::sample<double, 1, 1>> narrow{{{0}, {0}}, {{tiny}, {1}}};
    CHECK(kiln::fit_min_max(narrow).status == kiln::scale_status::out_of_range);
    CHECK(kiln::fit_standardizer(narrow).status == kiln::scale_status::out_of_range);
    // Float data at the ends of float's range still fits: the statistics are in double.
    volatile float fmax = std::numeric_limits<float>::max();
    std::vector<kiln::sample<float, 1, 1>> wide_f{{{-fmax}, {0}}, {{fmax}, {1}}};
    const auto f = kiln::fit_standardizer(wide_f);
    REQUIRE(f.status == kiln::scale_status::fitted);
    CHECK(f.offset[0] == 0.0f);
    CHECK(std::isfinite(f.factor[0]));
    CHECK(f.factor[0] > 0.0f);
}
