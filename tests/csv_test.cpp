// Tests of kiln/io/csv.hpp: the shipped data sets read exactly, and every kind of bad input is an error that says where.
#include <kiln/io/csv.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "kiln_test.hpp"
#include "test_data.hpp"

namespace {


// The data sets the examples use, shipped in examples/data.
std::filesystem::path shipped_data(std::string_view file) {
    return std::filesystem::path(__FILE__).parent_path().parent_path() / "examples" / "data" / file;
}

using row3 = kiln::sample<float, 2, 2>;  // the small fixtures: two inputs, a label 0..1

} // namespace

TEST_CASE("iris.csv reads as 150 rows holding the nearest floats to its decimal text and one-hot classes") {
    const auto iris = kiln::io::read_csv<float, 4, 3>(shipped_data("iris.csv"), {.label_column = 4, .header_lines = 1});
    INFO((iris ? std::string() : kiln::io::to_string(iris.error())));
    REQUIRE(iris);
    REQUIRE(iris->size() == 150);
    // Line 2 of the file: 5.1,3.5,1.4,0.2,0
    CHECK((*iris)[0] == kiln::sample<float, 4, 3>{{5.1f, 3.5f, 1.4f, 0.2f}, {1, 0, 0}});
    // Line 151: 5.9,3.0,5.1,1.8,2
    CHECK((*iris)[149] == kiln::sample<float, 4, 3>{{5.9f, 3.0f, 5.1f, 1.8f}, {0, 0, 1}});
    std::size_t per_class[3] = {};
    for (const auto& s : *iris) {
        CHECK(s.y[0] + s.y[1] + s.y[2] == 1.0f);
        for (std::size_t c = 0; c < 3; ++c) per_class[c] += s.y[c] == 1.0f;
    }
    CHECK(per_class[0] == 50);
    CHECK(per_class[1] == 50);
    CHECK(per_class[2] == 50);
}

TEST_CASE("digits.csv scaled by 1/16 reads as 1797 rows of exact sixteenths with labels 0..9") {
    const auto digits = kiln::io::read_csv<double, 64, 10>(shipped_data("digits.csv"), {.label_column = 64, .scale = 1.0 / 16});
    INFO((digits ? std::string() : kiln::io::to_string(digits.error())));
    REQUIRE(digits);
    REQUIRE(digits->size() == 1797);
    // Line 1 begins 0,0,5,13,9,1 and ends with the label 0; line 2 ends with the label 1.
    CHECK((*digits)[0].x[2] == 5.0 / 16);
    CHECK((*digits)[0].x[3] == 13.0 / 16);
    CHECK((*digits)[0].y[0] == 1.0);
    CHECK((*digits)[1].y[1] == 1.0);
    for (const auto& s : *digits) {
        double ones = 0;
        for (double t : s.y) ones += t;
        CHECK(ones == 1.0);
        for (double v : s.x) CHECK((v >= 0 && v <= 1 && v * 16 == static_cast<double>(static_cast<int>(v * 16))));
    }
}

TEST_CASE("io::split_every holds out row i when i % k == k - 1, exactly as kiln::split_every does") {
    constexpr kiln::dataset<float, 7, 1, 1> d{{{{0}, {0}}, {{1}, {1}}, {{2}, {0}}, {{3}, {1}}, {{4}, {0}}, {{5}, {1}}, {{6}, {0}}}};
    constexpr auto fixed = kiln::split_every<3>(d);
    const std::vector<kiln::sample<float, 1, 1>> rows(d.begin(), d.end());
    const auto [train, test] = kiln::io::split_every(rows, 3);
    REQUIRE(train.size() == fixed.train.size());
    REQUIRE(test.size() == fixed.test.size());
    for (std::size_t i = 0; i < train.size(); ++i) CHECK(train[i] == fixed.train[i]);
    for (std::size_t i = 0; i < test.size(); ++i) CHECK(test[i] == fixed.test[i]);
    CHECK(test[0].x[0] == 2.0f);
    CHECK(test[1].x[0] == 5.0f);

    const auto table = kiln::io::parse_csv_table<float>("0,0\n1,1\n2,0\n3,1\n4,0\n5,1\n6,0\n", "t", 1, 1);
    REQUIRE(table);
    const auto parts = kiln::io::split_every(*table, 3);
    CHECK(parts.train.values == std::vector<float>{0, 0, 1, 1, 3, 1, 4, 0, 6, 0});
    CHECK(parts.test.values == std::vector<float>{2, 0, 5, 1});
    CHECK(parts.test.inputs == 1);
    CHECK(parts.test.outputs == 1);
}

TEST_CASE("the agreed split of iris gives 120 training rows and 30 held-out rows, 10 of each class") {
    const auto iris = kiln::io::read_csv<float, 4, 3>(shipped_data("iris.csv"), {.header_lines = 1});
    REQUIRE(iris);
    const auto [train, test] = kiln::io::split_every(*iris, 5);
    CHECK(train.size() == 120);
    REQUIRE(test.size() == 30);
    CHECK(test[0] == (*iris)[4]);
    CHECK(test[29] == (*iris)[149]);
    float per_class[3] = {};
    for (const auto& s : test)
        for (std::size_t c = 0; c < 3; ++c) per_class[c] += s.y[c];
    CHECK(per_class[0] == 10);
    CHECK(per_class[1] == 10);
    CHECK(per_class[2] == 10);
}

TEST_CASE("CRLF line ends, a missing final newline, blank lines, a BOM, spaces, '+' and a label written 1.0 all read as the plain file does") {
    const std::vector<row3> expected{{{0.5f, 1}, {1, 0}}, {{1.5f, -2}, {0, 1}}, {{2.5f, 0.3f}, {0, 1}}};
    for (const char* fixture : {"crlf_no_final_newline.csv", "blank_lines.csv", "bom_spaces_signs.csv"}) {
        INFO(fixture);
        const auto rows = kiln::io::read_csv<float, 2, 2>(test_data(fixture));
        INFO((rows ? std::string() : kiln::io::to_string(rows.error())));
        REQUIRE(rows);
        CHECK(*rows == expected);
    }
    // The same in memory, in case a checkout ever rewrites the fixtures' line ends.
    const auto crlf = kiln::io::parse_csv<float, 2, 2>("0.5,1,0\r\n1.5,-2,1\r\n\r\n2.5,3e-1,1", "crlf.csv");
    REQUIRE(crlf);
    CHECK(*crlf == expected);
}

TEST_CASE("every malformed fixture is an error naming its line, its column and what was expected and found") {
    struct expectation {
        const char* fixture;
        std::size_t line, column;
        std::string message;
    };
    const expectation cases[] = {
        {"too_few_columns.csv", 2, 6, "expected 3 columns (2 inputs and a label), found 2"},
        {"too_many_columns.csv", 3, 9, "expected 3 columns (2 inputs and a label), found 4"},
        {"not_a_number.csv", 2, 5, "expected a number, found \"x1\""},
        {"nan.csv", 3, 5, "value nan is not finite"},
        {"inf.csv", 1, 5, "value -inf is not finite"},
        {"out_of_range.csv", 2, 5, "value 1e999 is out of range for float"},
        {"label_not_integer.csv", 2, 7, "label 0.5 is not an integer (expected a class 0..1)"},
        {"label_out_of_range.csv", 2, 7, "label 12 is outside 0..1"},
    };
    for (const auto& c : cases) {
        INFO(c.fixture);
        const auto rows = kiln::io::read_csv<float, 2, 2>(test_data(c.fixture));
        REQUIRE_FALSE(rows);
        const kiln::io::error& e = rows.error();
        CHECK(e.file == test_data(c.fixture).string());
        CHECK(e.line == c.line);
        CHECK(e.column == c.column);
        CHECK(e.message == c.message);
    }
}

TEST_CASE("an empty file, a file of headers only, a missing file and a directory are errors, never empty datasets") {
    const auto empty = kiln::io::read_csv<float, 2, 2>(test_data("empty.csv"));
    REQUIRE_FALSE(empty);
    CHECK(empty.error().line == 0);
    CHECK(empty.error().message == "the file is empty: expected rows of 3 columns");

    const auto headers = kiln::io::read_csv<float, 2, 2>(test_data("header_only.csv"), {.header_lines = 1});
    REQUIRE_FALSE(headers);
    CHECK(headers.error().message == "no data rows: of its 1 line, 1 are header lines (header_lines = 1) and 0 blank");

    const auto blank = kiln::io::parse_csv<float, 2, 2>("\n \n\r\n", "blank.csv");
    REQUIRE_FALSE(blank);
    CHECK(blank.error().message == "no data rows: of its 3 lines, 0 are header lines (header_lines = 0) and 3 blank");

    const auto missing = kiln::io::read_csv<float, 2, 2>(test_data("no_such_file.csv"));
    REQUIRE_FALSE(missing);
    CHECK(kiln::io::to_string(missing.error()) == test_data("no_such_file.csv").string() + ": file not found");

    const auto directory = kiln::io::read_csv<float, 2, 2>(test_data(""));
    REQUIRE_FALSE(directory);
    CHECK(directory.error().message == "is a directory, not a file");

    const auto unnamed = kiln::io::read_csv<float, 2, 2>("");
    REQUIRE_FALSE(unnamed);
    CHECK(unnamed.error().message == "no file name given");
}

TEST_CASE("errors print as file:line:column: message, leaving out what is unknown") {
    const kiln::io::error full{"digits.csv", 12, 7, "expected a number, found \"x1\""};
    std::ostringstream os;
    os << full;
    CHECK(os.str() == "digits.csv:12:7: expected a number, found \"x1\"");
    CHECK(kiln::io::to_string(full) == os.str());
    CHECK(kiln::io::to_string({"d.csv", 3, 0, "m"}) == "d.csv:3: m");
    CHECK(kiln::io::to_string({"d.csv", 0, 0, "file not found"}) == "d.csv: file not found");
    CHECK(kiln::io::to_string({"", 0, 0, "m"}) == "m");
}

TEST_CASE("a header line read as data gets a hint to skip it, and only on the first row") {
    const auto headed = kiln::io::parse_csv<float, 2, 2>("x,y,label\n1,2,0\n", "h.csv");
    REQUIRE_FALSE(headed);
    CHECK(kiln::io::to_string(headed.error()) ==
          "h.csv:1:1: expected a number, found \"x\" (if line 1 is a header, skip it with header_lines = 1)");

    const auto later = kiln::io::parse_csv<float, 2, 2>("1,2,0\nx,y,label\n", "h.csv");
    REQUIRE_FALSE(later);
    CHECK(later.error().message == "expected a number, found \"x\"");

    const auto after_blank = kiln::io::parse_csv<float, 2, 2>("\n\nx,2,0\n", "h.csv");
    REQUIRE_FALSE(after_blank);
    CHECK(after_blank.error().line == 3);
    CHECK(after_blank.error().message == "expected a number, found \"x\" (if line 3 is a header, skip it with header_lines = 3)");
}

TEST_CASE("line numbers count header and blank lines, columns count bytes from 1 at the offending text") {
    const auto rows = kiln::io::parse_csv<float, 2, 2>("a header\n\n1,2,0\n  \n3,  4.5.6 ,1\n", "c.csv", {.header_lines = 1});
    REQUIRE_FALSE(rows);
    CHECK(rows.error().line == 5);
    CHECK(rows.error().column == 5);
    CHECK(rows.error().message == "expected a number, found \"4.5.6\"");

    const auto empty_field = kiln::io::parse_csv<float, 2, 2>("1,,0\n", "c.csv");
    REQUIRE_FALSE(empty_field);
    CHECK(empty_field.error().column == 3);
    CHECK(empty_field.error().message == "expected a number, found nothing (if line 1 is a header, skip it with header_lines = 1)");

    const auto commas = kiln::io::parse_csv<float, 2, 2>("1,2,0\n,,\n", "c.csv");
    REQUIRE_FALSE(commas);
    CHECK(commas.error().line == 2);
    CHECK(commas.error().column == 1);
    CHECK(commas.error().message == "expected a number, found nothing");
}

TEST_CASE("labels are checked: not a number, not an integer, not finite or out of range is refused") {
    const auto label = [](std::string_view text) {
        const auto r = kiln::io::parse_csv<float, 1, 3>(text, "l.csv");
        return r ? std::string("ok") : r.error().message;
    };
    CHECK(label("1,2\n") == "ok");
    CHECK(label("1,2.0\n") == "ok");
    CHECK(label("1,-0\n") == "ok");
    CHECK(label("1,3\n") == "label 3 is outside 0..2");
    CHECK(label("1,-1\n") == "label -1 is outside 0..2");
    CHECK(label("1,1e30\n") == "label 1e30 is not an integer written in digits (expected a class 0..2, e.g. 2 or 2.0)");
    CHECK(label("1,1e999\n") == "label 1e999 is not an integer written in digits (expected a class 0..2, e.g. 2 or 2.0)");
    CHECK(label("1,1.5\n") == "label 1.5 is not an integer (expected a class 0..2)");
    CHECK(label("1,inf\n") == "label inf is not finite (expected a class 0..2)");
    CHECK(label("1,two\n") == "expected a class label 0..2, found \"two\" (if line 1 is a header, skip it with header_lines = 1)");
    CHECK(label("1,\n") == "expected a class label 0..2, found nothing (if line 1 is a header, skip it with header_lines = 1)");
}

TEST_CASE("with one output a class label 0 or 1 is the target itself, and label_kind::number takes any finite target") {
    const auto binary = kiln::io::parse_csv<float, 2, 1>("1,2,0\n3,4,1\n", "b.csv");
    REQUIRE(binary);
    CHECK((*binary)[0].y[0] == 0.0f);
    CHECK((*binary)[1].y[0] == 1.0f);
    const auto two = kiln::io::parse_csv<float, 2, 1>("1,2,2\n", "b.csv");
    REQUIRE_FALSE(two);
    CHECK(two.error().message == "label 2 is outside 0..1");

    const auto regression = kiln::io::parse_csv<double, 2, 1>("1,2,-3.25\n3,4,1e-3\n", "r.csv", {.label = kiln::io::label_kind::number});
    REQUIRE(regression);
    CHECK((*regression)[0].y[0] == -3.25);
    CHECK((*regression)[1].y[0] == 1e-3);
    const auto not_finite = kiln::io::parse_csv<double, 2, 1>("1,2,nan\n", "r.csv", {.label = kiln::io::label_kind::number});
    REQUIRE_FALSE(not_finite);
    CHECK(not_finite.error().column == 5);
    CHECK(not_finite.error().message == "value nan is not finite");
}

TEST_CASE("the label may sit in any column, the inputs being the other columns in their order") {
    const auto rows = kiln::io::parse_csv<float, 3, 2>("1,10,20,30\n0,11,21,31\n", "m.csv", {.label_column = 0});
    REQUIRE(rows);
    CHECK((*rows)[0] == kiln::sample<float, 3, 2>{{10, 20, 30}, {0, 1}});
    CHECK((*rows)[1] == kiln::sample<float, 3, 2>{{11, 21, 31}, {1, 0}});
    const auto middle = kiln::io::parse_csv<float, 3, 2>("10,20,1,30\n", "m.csv", {.label_column = 2});
    REQUIRE(middle);
    CHECK((*middle)[0] == kiln::sample<float, 3, 2>{{10, 20, 30}, {0, 1}});
}

TEST_CASE("scaling is done in double and rounded once, and a scaled value beyond float's range is an error, not an infinity or zero") {
    // 0.1 in double times 3, rounded once to float, is not 0.1f * 3 rounded twice.
    const auto once = kiln::io::parse_csv<float, 1, 1>("0.1,0\n", "s.csv", {.scale = 3});
    REQUIRE(once);
    CHECK((*once)[0].x[0] == static_cast<float>(0.1 * 3));

    const auto big = kiln::io::parse_csv<float, 1, 1>("3e38,0\n", "s.csv", {.scale = 2});
    REQUIRE_FALSE(big);
    CHECK(big.error().message == "value 3e38 times the scale 2 is out of range for float");
    const auto tiny = kiln::io::parse_csv<float, 1, 1>("1e-30,0\n", "s.csv", {.scale = 1e-30});
    REQUIRE_FALSE(tiny);
    CHECK(tiny.error().message == "value 1e-30 times the scale 1e-30 is out of range for float");
    const auto huge = kiln::io::parse_csv<float, 1, 1>("1e39,0\n", "s.csv");
    REQUIRE_FALSE(huge);
    CHECK(huge.error().message == "value 1e39 is out of range for float");
    const auto fine = kiln::io::parse_csv<double, 1, 1>("1e39,0\n", "s.csv");
    REQUIRE(fine);
    CHECK((*fine)[0].x[0] == 1e39);
}

TEST_CASE("options that cannot fit the shape are refused before any line is read") {
    const auto message = [](const kiln::io::csv_options& o) {
        const auto r = kiln::io::parse_csv<float, 2, 3>("1,2,0\n", "o.csv", o);
        return r ? std::string("ok") : kiln::io::to_string(r.error());
    };
    CHECK(message({}) == "ok");
    CHECK(message({.label_column = 3}) == "o.csv: label column 3 is outside 0..2 (a row has 3 columns)");
    CHECK(message({.scale = 0}) == "o.csv: scale must be finite and not zero, not 0");
    CHECK(message({.label = kiln::io::label_kind::number}) == "o.csv: a numeric label is one target, so outputs must be 1, not 3");
    CHECK(message({.delimiter = '.'}) == "o.csv: the delimiter cannot be a character of a number, a space or a line end, found \".\"");
}

TEST_CASE("another delimiter works, and a tab that delimits is not trimmed as a space") {
    const auto semicolons = kiln::io::parse_csv<float, 2, 2>("1,5;2;1\n", "s.csv", {.delimiter = ';'});
    REQUIRE_FALSE(semicolons);  // "1,5" is not a number: no locale-dependent decimal commas
    CHECK(semicolons.error().message == "expected a number, found \"1,5\" (if line 1 is a header, skip it with header_lines = 1)");
    const auto tabs = kiln::io::parse_csv<float, 2, 2>(" 1.5\t2\t1\n", "t.tsv", {.delimiter = '\t'});
    REQUIRE(tabs);
    CHECK((*tabs)[0] == row3{{1.5f, 2}, {0, 1}});
    const auto missing_field = kiln::io::parse_csv<float, 2, 2>("1.5\t\t1\n", "t.tsv", {.delimiter = '\t'});
    REQUIRE_FALSE(missing_field);
    CHECK(missing_field.error().column == 5);
}

TEST_CASE("unprintable bytes in a bad field are escaped in the message, and a long field is cut") {
    const std::string text = std::string("1,\x01\"\\\xc3\xa9", 7) + std::string(1, '\0') + ",0\n";
    const auto odd = kiln::io::parse_csv<float, 2, 2>(text, "b.csv");
    REQUIRE_FALSE(odd);
    CHECK(odd.error().message == "expected a number, found \"\\x01\\\"\\\\\\xc3\\xa9\\x00\"" " (if line 1 is a header, skip it with header_lines = 1)");

    const std::string long_field(100, '7');
    const auto cut = kiln::io::parse_csv<float, 2, 2>("1,2,0\n1," + long_field + "x,0\n", "b.csv");
    REQUIRE_FALSE(cut);
    CHECK(cut.error().message == "expected a number, found \"" + std::string(40, '7') + "\" (cut, 101 bytes in all)");
}

TEST_CASE("a result holds a value or an error and says which") {
    kiln::io::result<std::vector<int>> good(std::vector<int>{1, 2, 3});
    CHECK(static_cast<bool>(good));
    CHECK(good.has_value());
    CHECK(good->size() == 3);
    CHECK((*good)[2] == 3);
    CHECK(good.value().front() == 1);
    const std::vector<int> moved = *std::move(good);
    CHECK(moved.size() == 3);

    const kiln::io::result<int> bad(kiln::io::error{"f", 1, 2, "m"});
    CHECK_FALSE(static_cast<bool>(bad));
    CHECK(bad.error() == kiln::io::error{"f", 1, 2, "m"});

    const kiln::io::result<void> done;
    CHECK(static_cast<bool>(done));
    const kiln::io::result<void> failed(kiln::io::error{"", 0, 0, "m"});
    CHECK_FALSE(static_cast<bool>(failed));
    CHECK(failed.error().message == "m");
}

TEST_CASE("a row shape too wide to index is refused before any memory is reserved") {
    const auto width = [](std::size_t inputs, std::size_t outputs) {
        const auto r = kiln::io::parse_csv_table<float>("1,0\n", "w.csv", inputs, outputs);
        return r ? std::string("ok") : kiln::io::to_string(r.error());
    };
    const std::string too_wide = "a row holds at most " + std::to_string(kiln::io::max_row_values) + " values";
    // bake_csv --classes 18446744073709551615 used to wrap inputs + outputs round to 0 and write past the buffer.
    CHECK(width(1, static_cast<std::size_t>(-1)) == "w.csv: " + too_wide + " (1 input and 18446744073709551615 targets)");
    CHECK(width(static_cast<std::size_t>(-1), 1) == "w.csv: " + too_wide + " (18446744073709551615 inputs and 1 target)");
    CHECK(width(1, std::size_t{1} << 62) == "w.csv: " + too_wide + " (1 input and 4611686018427387904 targets)");
    CHECK(width(kiln::io::max_row_values, 1) ==
          "w.csv: " + too_wide + " (" + std::to_string(kiln::io::max_row_values) + " inputs and 1 target)");
    CHECK(width(1, 1) == "ok");
    // The widest allowed shape is read (and refused for its columns, not for its width).
    CHECK(width(kiln::io::max_row_values - 1, 1).find("expected 16777216 columns") != std::string::npos);
}

TEST_CASE("a non-zero input whose product with the scale underflows to zero is an error, in float and in double") {
    const auto d = kiln::io::parse_csv<double, 1, 1>("1e-300,0\n", "u.csv", {.scale = 1e-300});
    REQUIRE_FALSE(d);
    CHECK(d.error().message == "value 1e-300 times the scale 1e-300 is out of range for double");
    const auto f = kiln::io::parse_csv<float, 1, 1>("1e-300,0\n", "u.csv", {.scale = 1e-300});
    REQUIRE_FALSE(f);
    CHECK(f.error().message == "value 1e-300 times the scale 1e-300 is out of range for float");
    // Zero stays zero, whatever the scale.
    const auto zero = kiln::io::parse_csv<double, 1, 1>("0,0\n-0,0\n", "u.csv", {.scale = 1e-300});
    REQUIRE(zero);
    CHECK((*zero)[0].x[0] == 0.0);
}

TEST_CASE("a huge token is cut in every message that shows it") {
    const std::string digits(10'000'000, '1');
    for (const auto& [text, label] : {std::pair{"1," + digits + ",0\n", kiln::io::label_kind::class_index},
                                      std::pair{"1,2," + digits + "\n", kiln::io::label_kind::class_index},
                                      std::pair{"1,2,1" + digits + "x\n", kiln::io::label_kind::class_index},
                                      std::pair{"1,1" + digits + "x,0\n", kiln::io::label_kind::class_index}}) {
        const auto r = kiln::io::parse_csv<float, 2, 2>(text, "big.csv", {.label = label});
        REQUIRE_FALSE(r);
        INFO(r.error().message.substr(0, 200));
        CHECK(r.error().message.size() < 200);
        CHECK(r.error().message.find("(cut, 1000000") != std::string::npos);
    }
    const auto scaled = kiln::io::parse_csv<float, 1, 1>(digits + ",0\n", "big.csv", {.scale = 2});
    REQUIRE_FALSE(scaled);
    CHECK(scaled.error().message ==
          "value " + std::string(40, '1') + "... (cut, 10000000 bytes in all) is out of range for double");
    const auto product = kiln::io::parse_csv<float, 1, 1>(std::string(300, '9') + ",0\n", "big.csv", {.scale = 1e-200});
    REQUIRE_FALSE(product);
    CHECK(product.error().message ==
          "value " + std::string(40, '9') + "... (cut, 300 bytes in all) times the scale 1e-200 is out of range for float");
    const auto number = kiln::io::parse_csv<double, 1, 1>("1,1" + digits + "\n", "big.csv", {.label = kiln::io::label_kind::number});
    REQUIRE_FALSE(number);
    CHECK(number.error().message == "value 1" + std::string(39, '1') + "... (cut, 10000001 bytes in all) is out of range for double");
}

TEST_CASE("class labels are read as integers exactly: 2.9999999999999999 is not class 3") {
    const auto label = [](std::string_view text) {
        const auto r = kiln::io::parse_csv<float, 1, 4>(text, "l.csv");
        if (!r) return r.error().message;
        std::string s;
        for (float t : (*r)[0].y) s += t == 1 ? '1' : '0';
        return s;
    };
    CHECK(label("1,3\n") == "0001");
    CHECK(label("1,3.000\n") == "0001");
    CHECK(label("1,+2\n") == "0010");
    CHECK(label("1,003\n") == "0001");
    CHECK(label("1,-0.0\n") == "1000");
    CHECK(label("1,2.9999999999999999\n") ==
          "label 2.9999999999999999 is not an integer written in digits (expected a class 0..3, e.g. 2 or 2.0)");
    CHECK(label("1,3e0\n") == "label 3e0 is not an integer written in digits (expected a class 0..3, e.g. 2 or 2.0)");
    CHECK(label("1,3.\n") == "label 3. is not an integer written in digits (expected a class 0..3, e.g. 2 or 2.0)");
    CHECK(label("1,99999999999999999999999\n") == "label 99999999999999999999999 is outside 0..3");
    CHECK(label("1,-1\n") == "label -1 is outside 0..3");
}

TEST_CASE("a first line with the wrong number of columns gets the header hint too") {
    const auto headed = kiln::io::parse_csv<float, 2, 2>("a header line\n1,2,0\n", "h.csv");
    REQUIRE_FALSE(headed);
    CHECK(kiln::io::to_string(headed.error()) ==
          "h.csv:1:14: expected 3 columns (2 inputs and a label), found 1 (if line 1 is a header, skip it with header_lines = 1)");
    const auto later = kiln::io::parse_csv<float, 2, 2>("1,2,0\n1,2\n", "h.csv");
    REQUIRE_FALSE(later);
    CHECK(later.error().message == "expected 3 columns (2 inputs and a label), found 2");
    const auto skipped = kiln::io::parse_csv<float, 2, 2>("x,y,z\na,b\n", "h.csv", {.header_lines = 1});
    REQUIRE_FALSE(skipped);
    CHECK(skipped.error().message == "expected 3 columns (2 inputs and a label), found 2");
}
