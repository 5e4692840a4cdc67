// Tests of kiln/io/bake.hpp: written literals read back to the same bits, and a baked header equals the CSV it came from.
#include <kiln/io/bake.hpp>
#include <kiln/io/csv.hpp>

#include <bit>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kiln_test.hpp"
#include "test_data.hpp"

// Generated from tests/data/iris_small.csv by tools/bake_csv (the command is its first line).
#include "data/iris_small_data.hpp"

namespace {


std::string file_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

template <class T>
using bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

// Reads one literal as append_literal writes it ("-0x1.8p+1f") back into a T, independently
// of the writer: the sign, "0x" and the suffix are taken off by hand, the digits by from_chars.
template <class T>
bool read_literal(std::string_view s, T& v) {
    const bool negative = !s.empty() && s.front() == '-';
    if (negative) s.remove_prefix(1);
    if (s.substr(0, 2) != "0x") return false;
    s.remove_prefix(2);
    if constexpr (std::is_same_v<T, float>) {
        if (s.empty() || s.back() != 'f') return false;
        s.remove_suffix(1);
    }
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::hex);
    if (ec != std::errc{} || p != s.data() + s.size()) return false;
    if (negative) v = -v;
    return true;
}

template <class T>
void check_round_trip(T v) {
    std::string text;
    REQUIRE(kiln::io::append_literal(text, v));
    T back{};
    INFO(text);
    REQUIRE(read_literal(text, back));
    CHECK(std::bit_cast<bits_t<T>>(back) == std::bit_cast<bits_t<T>>(v));
}

// Every "0x..." literal in a text, in order.
template <class T>
std::vector<T> literals_in(std::string_view text) {
    std::vector<T> values;
    for (std::size_t at = text.find("0x"); at != std::string_view::npos; at = text.find("0x", at + 2)) {
        const std::size_t begin = at > 0 && text[at - 1] == '-' ? at - 1 : at;
        const std::size_t end = text.find_first_of(",}", at);
        T v{};
        REQUIRE(read_literal(text.substr(begin, end - begin), v));
        values.push_back(v);
    }
    return values;
}

template <class T, std::size_t In, std::size_t Out>
std::vector<T> values_of(const std::vector<kiln::sample<T, In, Out>>& rows) {
    std::vector<T> values;
    for (const auto& s : rows) {
        values.insert(values.end(), s.x, s.x + In);
        values.insert(values.end(), s.y, s.y + Out);
    }
    return values;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::bit_cast<bits_t<T>>(a[i]) != std::bit_cast<bits_t<T>>(b[i])) return false;
    return true;
}

} // namespace

TEST_CASE("append_literal writes hexadecimal literals: -0, integers and subnormals exact, f suffix for float") {
    const auto literal = [](auto v) {
        std::string s = "x=";
        REQUIRE(kiln::io::append_literal(s, v));
        return s;
    };
    CHECK(literal(1.0f) == "x=0x1p+0f");
    CHECK(literal(3.0) == "x=0x1.8p+1");
    CHECK(literal(-16.0f) == "x=-0x1p+4f");
    CHECK(literal(0.0f) == "x=0x0p+0f");
    CHECK(literal(-0.0) == "x=-0x0p+0");
    CHECK(literal(0.1f) == "x=0x1.99999ap-4f");
    CHECK(literal(std::numeric_limits<float>::denorm_min()) == "x=0x0.000002p-126f");
    CHECK(literal(std::numeric_limits<double>::max()) == "x=0x1.fffffffffffffp+1023");
    CHECK(literal(std::numeric_limits<double>::lowest()) == "x=-0x1.fffffffffffffp+1023");
}

TEST_CASE("the literals append_literal writes mean, to the compiler, exactly the values written") {
    // What the compiler itself reads from the spellings above: the bits must match.
    static_assert(std::bit_cast<std::uint32_t>(0x1.99999ap-4f) == std::bit_cast<std::uint32_t>(0.1f));
    static_assert(std::bit_cast<std::uint64_t>(-0x0p+0) == std::bit_cast<std::uint64_t>(-0.0));
    static_assert(std::bit_cast<std::uint32_t>(0x0.000002p-126f) == std::bit_cast<std::uint32_t>(std::numeric_limits<float>::denorm_min()));
    static_assert(-0x1.fffffffffffffp+1023 == std::numeric_limits<double>::lowest());
    // And the baked fixture, a header of such literals, is a constant expression.
    STATIC_REQUIRE(iris_small_train.size() == 12);
    STATIC_REQUIRE(iris_small_test.size() == 3);
    STATIC_REQUIRE(iris_small_train[0].x[0] == 5.1f);
    STATIC_REQUIRE(iris_small_test[2].y[2] == 1.0f);
}

TEST_CASE("append_literal round-trips every float and double it is given, bit for bit") {
    for (float v : {0.0f, -0.0f, 1.0f, -1.0f, 0.1f, 5.1f, 1.0f / 3, std::numeric_limits<float>::min(),
                    std::numeric_limits<float>::denorm_min(), -std::numeric_limits<float>::denorm_min(),
                    std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest(), 16777217.0f})
        check_round_trip(v);
    for (double v : {0.0, -0.0, 1.0, 0.1, 1.0 / 3, std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
                     std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(), 9007199254740993.0})
        check_round_trip(v);
    // Spread over every exponent and sign: a fixed 64-bit LCG (Knuth's MMIX constants).
    std::uint64_t state = 12345;
    std::size_t checked = 0;
    for (int i = 0; i < 100000; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        const auto f = std::bit_cast<float>(static_cast<std::uint32_t>(state >> 32));
        const auto d = std::bit_cast<double>(state);
        if (std::isfinite(f)) {
            check_round_trip(f);
            ++checked;
        }
        if (std::isfinite(d)) {
            check_round_trip(d);
            ++checked;
        }
    }
    CHECK(checked > 190000);
}

TEST_CASE("append_literal refuses NaN and infinities and leaves the text as it was") {
    std::string s = "kept";
    CHECK_FALSE(kiln::io::append_literal(s, std::numeric_limits<float>::quiet_NaN()));
    CHECK_FALSE(kiln::io::append_literal(s, std::numeric_limits<double>::infinity()));
    CHECK_FALSE(kiln::io::append_literal(s, -std::numeric_limits<float>::infinity()));
    CHECK(s == "kept");
}

TEST_CASE("write_dataset_header writes pragma once, the include and a constexpr kiln::dataset of the rows' shape") {
    const std::vector<kiln::sample<float, 2, 1>> rows{{{0.5f, -0.0f}, {1}}, {{3, 1e-3f}, {0}}};
    std::ostringstream os;
    REQUIRE(kiln::io::write_dataset_header(os, rows, "tiny"));
    CHECK(os.str() ==
          "// Generated by kiln::io::write_dataset_header: do not edit.\n"
          "#pragma once\n"
          "\n"
          "#include <kiln/dataset.hpp>\n"
          "\n"
          "inline constexpr kiln::dataset<float, 2, 2, 1> tiny{{\n"
          "    {{0x1p-1f, -0x0p+0f}, {0x1p+0f}},\n"
          "    {{0x1.8p+1f, 0x1.0624dep-10f}, {0x0p+0f}},\n"
          "}};\n");

    constexpr kiln::dataset<double, 1, 1, 2> fixed{{{{-2.5}, {0, 1}}}};
    std::ostringstream d;
    REQUIRE(kiln::io::write_dataset_definition(d, fixed, "fixed"));
    CHECK(d.str() == "\ninline constexpr kiln::dataset<double, 1, 1, 2> fixed{{\n    {{-0x1.4p+1}, {0x0p+0, 0x1p+0}},\n}};\n");
}

TEST_CASE("every literal of a baked digits header reads back to the bits of the row it came from") {
    const auto digits = kiln::io::read_csv<float, 64, 10>(
        std::filesystem::path(__FILE__).parent_path().parent_path() / "examples" / "data" / "digits.csv", {.scale = 1.0 / 16});
    REQUIRE(digits);
    std::ostringstream os;
    REQUIRE(kiln::io::write_dataset_header(os, *digits, "digits"));
    CHECK(os.str().find("inline constexpr kiln::dataset<float, 1797, 64, 10> digits{{\n") != std::string::npos);
    const auto read_back = literals_in<float>(os.str());
    CHECK(read_back.size() == 1797 * 74);
    CHECK(same_bits(read_back, values_of(*digits)));
}

TEST_CASE("a table and the samples it holds bake to the same text") {
    const auto table = kiln::io::read_csv_table<double>(test_data("iris_small.csv"), 4, 3, {.header_lines = 1});
    REQUIRE(table);
    const auto samples = kiln::io::to_samples<double, 4, 3>(*table);
    std::ostringstream from_table, from_samples;
    REQUIRE(kiln::io::write_dataset_definition(from_table, *table, "iris"));
    REQUIRE(kiln::io::write_dataset_definition(from_samples, samples, "iris"));
    CHECK(from_table.str() == from_samples.str());
    CHECK(same_bits(literals_in<double>(from_table.str()), table->values));
}

TEST_CASE("the baked fixture header holds the same bits as its CSV read at run time, split the agreed way") {
    const auto rows = kiln::io::read_csv<float, 4, 3>(test_data("iris_small.csv"), {.header_lines = 1});
    REQUIRE(rows);
    const auto [train, test] = kiln::io::split_every(*rows, 5);
    REQUIRE(train.size() == iris_small_train.size());
    REQUIRE(test.size() == iris_small_test.size());
    const std::vector<kiln::sample<float, 4, 3>> baked_train(iris_small_train.begin(), iris_small_train.end());
    const std::vector<kiln::sample<float, 4, 3>> baked_test(iris_small_test.begin(), iris_small_test.end());
    CHECK(same_bits(values_of(baked_train), values_of(train)));
    CHECK(same_bits(values_of(baked_test), values_of(test)));
}

TEST_CASE("the checked-in fixture header is what the writer produces today") {
    // Rebuilt the way tools/bake_csv builds it: the fixture's own first line, then the two halves.
    const std::string fixture = file_text(test_data("iris_small_data.hpp"));
    const std::string first_line = fixture.substr(0, fixture.find('\n'));
    REQUIRE(first_line.rfind("// ", 0) == 0);
    const auto table = kiln::io::read_csv_table<float>(test_data("iris_small.csv"), 4, 3, {.header_lines = 1});
    REQUIRE(table);
    const auto parts = kiln::io::split_every(*table, 5);
    std::ostringstream os;
    kiln::io::write_header_prologue(os, first_line.substr(3));
    REQUIRE(kiln::io::write_dataset_definition(os, parts.train, "iris_small_train"));
    REQUIRE(kiln::io::write_dataset_definition(os, parts.test, "iris_small_test"));
    CHECK(os.str() == fixture);
}

TEST_CASE("NaN, infinity, no rows or a name that is not an identifier is refused, and nothing is written") {
    std::ostringstream os;
    const std::vector<kiln::sample<double, 2, 1>> nan_row{{{1, 2}, {0}}, {{1, std::numeric_limits<double>::quiet_NaN()}, {0}}};
    const auto nan = kiln::io::write_dataset_header(os, nan_row, "d");
    REQUIRE_FALSE(nan);
    CHECK(nan.error().message == "d.rows[1].x[1] is NaN, which no C++ literal can hold");

    const std::vector<kiln::sample<float, 1, 2>> inf_target{{{1}, {0, -std::numeric_limits<float>::infinity()}}};
    const auto inf = kiln::io::write_dataset_header(os, inf_target, "d");
    REQUIRE_FALSE(inf);
    CHECK(inf.error().message == "d.rows[0].y[1] is -infinity, which no C++ literal can hold");

    const std::vector<kiln::sample<float, 1, 1>> none;
    const auto empty = kiln::io::write_dataset_header(os, none, "d");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == "no rows to write to d (a kiln::dataset holds at least one)");

    const std::vector<kiln::sample<float, 1, 1>> one{{{1}, {0}}};
    const auto refused = [&](const char* name) {
        const auto bad = kiln::io::write_dataset_header(os, one, name);
        REQUIRE_FALSE(bad);
        return bad.error().message;
    };
    CHECK(refused("") == "the dataset name an empty name is not a C++ identifier");
    CHECK(refused("1st") == "the dataset name \"1st\" is not a C++ identifier (it must start with a letter)");
    CHECK(refused("two words") == "the dataset name \"two words\" is not a C++ identifier (only letters, digits and '_')");
    CHECK(refused("a-b") == "the dataset name \"a-b\" is not a C++ identifier (only letters, digits and '_')");
    CHECK(refused("int") == "the dataset name \"int\" is a C++ keyword");
    CHECK(refused("x__y") == "the dataset name \"x__y\" is reserved to the implementation (it contains \"__\")");
    CHECK(refused("_Reserved") == "the dataset name \"_Reserved\" is reserved to the implementation at global scope (it starts with '_')");
    CHECK(refused("__x") == "the dataset name \"__x\" is reserved to the implementation (it contains \"__\")");
    CHECK(refused("_x1") == "the dataset name \"_x1\" is reserved to the implementation at global scope (it starts with '_')");
    CHECK(kiln::io::is_identifier("iris_train"));
    CHECK(kiln::io::is_identifier("int8"));       // a keyword's prefix is fine
    CHECK(kiln::io::is_identifier("override"));   // identifiers with special meaning are not keywords
    CHECK(os.str().empty());
}

TEST_CASE("a header written to a path replaces the file whole, and a path that cannot be written is an error naming it") {
    // A directory of its own, so that builds testing side by side do not share it.
    const auto dir = std::filesystem::temp_directory_path() / ("kiln_bake_test_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "tiny_data.hpp";
    {
        std::ofstream old(path);
        old << "old contents that are much longer than the new header will be, to show it is replaced whole\n"
               "...................................................................................................\n"
               "...................................................................................................\n"
               "...................................................................................................\n";
    }
    const std::vector<kiln::sample<float, 1, 1>> one{{{2}, {1}}};
    REQUIRE(kiln::io::write_dataset_header(path, one, "tiny"));
    std::ostringstream expected;
    REQUIRE(kiln::io::write_dataset_header(expected, one, "tiny"));
    CHECK(file_text(path) == expected.str());
    CHECK_FALSE(std::filesystem::exists(dir / "tiny_data.hpp.tmp"));

    const auto nowhere = dir / "no_such_dir" / "x.hpp";
    const auto failed = kiln::io::write_dataset_header(nowhere, one, "tiny");
    REQUIRE_FALSE(failed);
    CHECK(kiln::io::to_string(failed.error()) == nowhere.string() + ": cannot be opened for writing");

    const auto bad_name = kiln::io::write_dataset_header(path, one, "not valid");
    REQUIRE_FALSE(bad_name);
    CHECK(bad_name.error().file == path.string());
    CHECK(file_text(path) == expected.str());
    std::filesystem::remove_all(dir);
}

TEST_CASE("every C++20 keyword and alternative token is refused as a name, and a keyword with a suffix is not") {
    for (std::string_view k : {"alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
                               "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "co_await",
                               "co_return", "co_yield", "compl", "concept", "const", "const_cast", "consteval",
                               "constexpr", "constinit", "continue", "decltype", "default", "delete", "do", "double",
                               "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
                               "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new",
                               "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
                               "protected", "public", "register", "reinterpret_cast", "requires", "return", "short",
                               "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
                               "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid",
                               "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t",
                               "while", "xor", "xor_eq"}) {
        INFO(k);
        std::string expected(1, '"');  // (built by appending: GCC 12 warns, falsely, on "\"" + std::string)
        expected.append(k).append("\" is a C++ keyword");
        CHECK(kiln::io::identifier_problem(k) == expected);
        CHECK(kiln::io::is_identifier(std::string(k) + "_net"));
    }
}

namespace {
// Every activation kiln has, and a layer without biases, in one network.
using every_activation_net =
    kiln::network<double, kiln::dense<3, 4, kiln::identity>, kiln::dense<4, 4, kiln::sigmoid, kiln::no_bias>,
                  kiln::dense<4, 4, kiln::fast_sigmoid>, kiln::dense<4, 4, kiln::hard_sigmoid>, kiln::dense<4, 4, kiln::tanh>,
                  kiln::dense<4, 4, kiln::relu>, kiln::dense<4, 4, kiln::leaky_relu>,
                  kiln::dense<4, 4, kiln::leaky_relu_with<3, 10>>, kiln::dense<4, 2, kiln::softmax>>;
} // namespace

TEST_CASE("type_spelling spells every activation, layer and network in C++") {
    CHECK(kiln::io::type_spelling<every_activation_net>::name() ==
          "kiln::network<double, kiln::dense<3, 4, kiln::identity>, kiln::dense<4, 4, kiln::sigmoid, kiln::no_bias>, "
          "kiln::dense<4, 4, kiln::fast_sigmoid>, kiln::dense<4, 4, kiln::hard_sigmoid>, kiln::dense<4, 4, kiln::tanh>, "
          "kiln::dense<4, 4, kiln::relu>, kiln::dense<4, 4, kiln::leaky_relu_with<1, 100>>, "
          "kiln::dense<4, 4, kiln::leaky_relu_with<3, 10>>, kiln::dense<4, 2, kiln::softmax>>");
    // The spelling names the very same type: the header's alias is the writer's type.
    STATIC_REQUIRE(std::is_same_v<kiln::leaky_relu_with<1, 100>, kiln::leaky_relu>);
}

TEST_CASE("write_header writes the type, every parameter as its exact literal, and a bit-exact reference check") {
    using net_t = kiln::network<float, kiln::dense<2, 2, kiln::tanh>, kiln::dense<2, 1, kiln::sigmoid, kiln::no_bias>>;
    net_t net{};
    net.layer<0>().weight(0, 0) = 0.5f;
    net.layer<0>().weight(1, 0) = -0.0f;
    net.layer<0>().weight(0, 1) = 0.1f;
    net.layer<0>().weight(1, 1) = -2;
    net.layer<0>().bias(1) = 0.25f;
    net.layer<1>().weight(0, 0) = 1;
    net.layer<1>().weight(0, 1) = 3;
    const float x[] = {1, -1};
    std::ostringstream os;
    REQUIRE(kiln::io::write_header(os, net, "small", {.comment = "Made by a test: do not edit.", .reference_input = x}));
    const auto y = net.predict({1, -1});
    std::string out_literal;
    REQUIRE(kiln::io::append_literal(out_literal, y[0]));
    CHECK(os.str() ==
          "// Made by a test: do not edit.\n"
          "#pragma once\n"
          "\n"
          "#include <array>\n#include <bit>\n#include <cstdint>\n"
          "#include <kiln/activation.hpp>\n#include <kiln/layer.hpp>\n#include <kiln/network.hpp>\n"
          "\n"
          "using small_t = kiln::network<float, kiln::dense<2, 2, kiln::tanh>, kiln::dense<2, 1, kiln::sigmoid, kiln::no_bias>>;\n"
          "\n"
          "inline constexpr small_t small{\n"
          "    small_t::params_type<0>{\n"
          "        .w = {0x1p-1f, -0x0p+0f,\n"
          "              0x1.99999ap-4f, -0x1p+1f},\n"
          "        .b = {0x0p+0f, 0x1p-2f}},\n"
          "    small_t::params_type<1>{\n"
          "        .w = {0x1p+0f,\n"
          "              0x1.8p+1f}},\n"
          "};\n"
          "\n"
          "// A reference input and the output the writing program computed for it at run time; the\n"
          "// static_assert checks that the compiler, running the baked network, gets the same bits.\n"
          "inline constexpr small_t::input_type small_reference_input{{0x1p+0f, -0x1p+0f}};\n"
          "inline constexpr small_t::output_type small_reference_output{{" + out_literal + "}};\n"
          "static_assert(std::bit_cast<std::array<std::uint32_t, 1>>(small.predict(small_reference_input)) == "
          "std::bit_cast<std::array<std::uint32_t, 1>>(small_reference_output),\n"
          "              \"small: the baked network does not reproduce, bit for bit, the output the writing program computed\");\n");
}

TEST_CASE("write_header's default reference input is all 0.5, and extra definitions and includes follow the network") {
    const auto net = every_activation_net::initialized(kiln::xavier_uniform{}, kiln::seed{3});
    const std::vector<kiln::sample<double, 3, 2>> rows{{{1, 2, 3}, {0, 1}}};
    std::ostringstream extra;
    REQUIRE(kiln::io::write_dataset_definition(extra, rows, "net_rows"));
    const std::string definitions = extra.str();
    const std::string_view includes[] = {"kiln/dataset.hpp"};
    std::ostringstream os;
    REQUIRE(kiln::io::write_header(os, net, "net", {.extra_definitions = definitions, .extra_includes = includes}));
    const std::string text = os.str();
    CHECK(text.find("inline constexpr net_t::input_type net_reference_input{{0x1p-1, 0x1p-1, 0x1p-1}};\n") != std::string::npos);
    CHECK(text.find("#include <kiln/network.hpp>\n#include <kiln/dataset.hpp>\n\nusing net_t = ") != std::string::npos);
    CHECK(text.size() > definitions.size());
    CHECK(text.substr(text.size() - definitions.size()) == definitions);
}

TEST_CASE("write_header refuses keywords, reserved names, NaN weights and a reference input of the wrong size, writing nothing") {
    using net_t = kiln::network<float, kiln::dense<2, 1, kiln::identity>>;
    net_t net{};
    std::ostringstream os;
    const auto message = [&](std::string_view name, const kiln::io::header_options<net_t>& o = {}) {
        const auto r = kiln::io::write_header(os, net, name, o);
        REQUIRE_FALSE(r);
        return r.error().message;
    };
    CHECK(message("class") == "the network name \"class\" is a C++ keyword");
    CHECK(message("co_await") == "the network name \"co_await\" is a C++ keyword");
    CHECK(message("_Net") == "the network name \"_Net\" is reserved to the implementation at global scope (it starts with '_')");
    CHECK(message("my__net") == "the network name \"my__net\" is reserved to the implementation (it contains \"__\")");
    // The names made from it are checked too: "net_" would make "net__t".
    CHECK(message("net_") == "the network name \"net_\" ends with '_', so the names made from it (net__t, ...) would "
                             "contain \"__\", which is reserved to the implementation");
    CHECK(message("ok", {.comment = "two\nlines"}) == "the header's comment must be one line");
    const float three[] = {1, 2, 3};
    CHECK(message("ok", {.reference_input = three}) == "the reference input holds 3 values; ok takes 2");
    net.layer<0>().bias(0) = std::numeric_limits<float>::quiet_NaN();
    CHECK(message("ok") == "ok.layer<0>().b[0] is NaN, which no C++ literal can hold");
    net.layer<0>().weight(0, 1) = std::numeric_limits<float>::infinity();
    CHECK(message("ok") == "ok.layer<0>().w[1] is +infinity, which no C++ literal can hold");
    CHECK(os.str().empty());
}

TEST_CASE("a file that already holds the header is left untouched, modification time included") {
    const auto dir = std::filesystem::temp_directory_path() / ("kiln_bake_mtime_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "net.hpp";
    using net_t = kiln::network<float, kiln::dense<2, 1, kiln::identity>>;
    auto net = net_t::initialized(kiln::xavier_uniform{}, kiln::seed{1});
    REQUIRE(kiln::io::write_header(path, net, "net"));
    // An old time stamp, so that a rewrite, however quick, would show.
    const auto old_time = std::filesystem::last_write_time(path) - std::chrono::hours(1);
    std::filesystem::last_write_time(path, old_time);
    REQUIRE(kiln::io::write_header(path, net, "net"));
    CHECK(std::filesystem::last_write_time(path) == old_time);
    CHECK_FALSE(std::filesystem::exists(dir / "net.hpp.tmp"));

    // A different header replaces it; so does one the old file merely starts with.
    net.layer<0>().bias(0) = 1;
    REQUIRE(kiln::io::write_header(path, net, "net"));
    CHECK(std::filesystem::last_write_time(path) != old_time);
    std::ostringstream expected;
    REQUIRE(kiln::io::write_header(expected, net, "net"));
    CHECK(file_text(path) == expected.str());
    {
        std::ofstream longer(path, std::ios::binary);
        longer << expected.str() << "// more\n";
    }
    std::filesystem::last_write_time(path, old_time);
    REQUIRE(kiln::io::write_header(path, net, "net"));
    CHECK(file_text(path) == expected.str());
    std::filesystem::remove_all(dir);
}

TEST_CASE("write_header bakes the input scaling the network was trained behind, with its include") {
    using net_t = kiln::network<float, kiln::dense<2, 1, kiln::identity>>;
    const net_t net{};
    const kiln::scaler<float, 2> s{.offset = {1.5f, -0.0f}, .factor = {0.25f, 3}};
    std::ostringstream os;
    REQUIRE(kiln::io::write_header(os, net, "scaled", {.scaler = &s}));
    const std::string text = os.str();
    CHECK(text.find("#include <kiln/network.hpp>\n#include <kiln/scale.hpp>\n") != std::string::npos);
    CHECK(text.find("inline constexpr kiln::scaler<float, 2> scaled_scaler{\n"
                    "    .offset = {0x1.8p+0f, -0x0p+0f},\n"
                    "    .factor = {0x1p-2f, 0x1.8p+1f}};\n") != std::string::npos);
    std::ostringstream plain;
    REQUIRE(kiln::io::write_header(plain, net, "scaled"));
    CHECK(plain.str().find("scale") == plain.str().find("scaled"));  // no scaler, no include of scale.hpp
    CHECK(plain.str().find("kiln/scale.hpp") == std::string::npos);

    const kiln::scaler<float, 2> bad{.offset = {0, std::numeric_limits<float>::quiet_NaN()}, .factor = {1, 1}};
    const auto r = kiln::io::write_header(os, net, "scaled", {.scaler = &bad});
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "scaled_scaler.offset[1] is NaN, which no C++ literal can hold");
}
