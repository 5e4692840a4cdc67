// Tests of kiln/dataset.hpp: samples, fixed-size datasets, views and the agreed split.
#include "kiln_test.hpp"

#include <kiln/dataset.hpp>

#include <array>
#include <vector>

namespace {

constexpr kiln::dataset<double, 7, 2, 1> seven = [] {
    kiln::dataset<double, 7, 2, 1> d{};
    for (std::size_t i = 0; i < 7; ++i) d.rows[i] = {{double(i), -double(i)}, {double(i % 2)}};
    return d;
}();

} // namespace

TEST_CASE("a sample gives its input and target as std::array copies", "[dataset]") {
    constexpr kiln::sample<float, 3, 2> s{{1, 2, 3}, {0, 1}};
    STATIC_REQUIRE(s.input() == std::array<float, 3>{1, 2, 3});
    STATIC_REQUIRE(s.target() == std::array<float, 2>{0, 1});
    STATIC_REQUIRE(kiln::sample<float, 3, 2>::inputs == 3);
    STATIC_REQUIRE(kiln::sample<float, 3, 2>::outputs == 2);
}

TEST_CASE("a dataset is a constexpr aggregate that iterates over its rows in order", "[dataset]") {
    STATIC_REQUIRE(seven.size() == 7);
    STATIC_REQUIRE(seven[3].x[0] == 3.0 && seven[3].x[1] == -3.0 && seven[3].y[0] == 1.0);
    double sum = 0;
    for (const auto& row : seven) sum += row.x[0];
    CHECK(sum == 21.0);
    auto copy = seven;
    CHECK(copy == seven);
    copy.rows[6].y[0] = 5;
    CHECK_FALSE(copy == seven);
}

TEST_CASE("split_every holds out row i when i % Every == Every - 1, keeping the order", "[dataset]") {
    constexpr auto parts = kiln::split_every<3>(seven);
    STATIC_REQUIRE(parts.train.size() == 5);
    STATIC_REQUIRE(parts.test.size() == 2);
    STATIC_REQUIRE(parts.test[0].x[0] == 2.0 && parts.test[1].x[0] == 5.0);
    STATIC_REQUIRE(parts.train[0].x[0] == 0.0 && parts.train[2].x[0] == 3.0 && parts.train[4].x[0] == 6.0);
}

TEST_CASE("view() turns a dataset, a vector, an array or a C array of samples into one span type", "[dataset]") {
    using view_t = kiln::dataset_view<double, 2, 1>;
    constexpr view_t from_dataset = kiln::view(seven);
    STATIC_REQUIRE(from_dataset.size() == 7);
    STATIC_REQUIRE(from_dataset[4].x[0] == 4.0);

    const std::vector<kiln::sample<double, 2, 1>> vec(seven.begin(), seven.end());
    const view_t from_vector = kiln::view(vec);
    CHECK(from_vector.size() == 7);
    CHECK(from_vector.data() == vec.data());

    const std::array<kiln::sample<double, 2, 1>, 2> arr{{{{1, 2}, {0}}, {{3, 4}, {1}}}};
    const view_t from_array = kiln::view(arr);
    CHECK(from_array.size() == 2);
    CHECK(from_array[1].x[1] == 4.0);

    const kiln::sample<double, 2, 1> c_array[3]{};
    CHECK(kiln::view(c_array).size() == 3);
}

TEST_CASE("held_out() is the agreed rule: every 5th row from the 5th, for every split", "[dataset]") {
    STATIC_REQUIRE(!kiln::held_out(0, 5));
    STATIC_REQUIRE(kiln::held_out(4, 5));
    STATIC_REQUIRE(!kiln::held_out(5, 5));
    STATIC_REQUIRE(kiln::held_out(9, 5));
    STATIC_REQUIRE(kiln::held_out(1, 2));
    STATIC_REQUIRE(!kiln::held_out(2, 2));
}
