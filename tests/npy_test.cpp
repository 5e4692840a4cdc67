// Tests of kiln/io/npy.hpp: NumPy's own files read exactly, kiln's files read back, networks in both layouts, every malformed file named.
//
// The fixtures in tests/data/npy were written by NumPy (make_fixtures.py beside them), so
// these tests need no NumPy; tests/npy_numpy_roundtrip.cmake checks against NumPy itself.
#include <kiln/io/npy.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <kiln/kiln.hpp>

#include "../examples/seed_network.hpp"
#include "kiln_test.hpp"
#include "test_data.hpp"

namespace {

std::filesystem::path npy_data(const std::string& file) { return test_data("npy/" + file); }

std::string bytes_of(const std::string& file) { return *kiln::io::read_text_file(npy_data(file)); }

// "ok", or the error as the user sees it.
template <class R>
std::string message(const R& r) {
    return r ? std::string("ok") : kiln::io::to_string(r.error());
}

// The (2, 3) fixtures: a[r][c] = (3r + c) / 4 - 0.5.
template <class T>
std::vector<T> quarters() {
    return {T(-0.5), T(-0.25), T(0), T(0.25), T(0.5), T(0.75)};
}

using net_f = kiln::network<float, kiln::dense<3, 4, kiln::tanh>, kiln::dense<4, 2>>;
using net_d = kiln::network<double, kiln::dense<3, 4, kiln::tanh>, kiln::dense<4, 2>>;

// The fixtures' 3-4-2 network: w[o][i] = (o - i) / 8, b[o] = o / 4 - 0.25, layer 1 negated.
template <class Net>
bool is_fixture_network(const Net& n) {
    using T = typename Net::value_type;
    bool ok = true;
    for (std::size_t o = 0; o < 4; ++o) {
        for (std::size_t i = 0; i < 3; ++i) ok = ok && n.template layer<0>().weight(o, i) == T((double(o) - double(i)) / 8);
        ok = ok && n.template layer<0>().bias(o) == T(double(o) / 4 - 0.25);
    }
    for (std::size_t o = 0; o < 2; ++o) {
        for (std::size_t i = 0; i < 4; ++i) ok = ok && n.template layer<1>().weight(o, i) == T(-(double(o) - double(i)) / 8);
        ok = ok && n.template layer<1>().bias(o) == T(-(double(o) / 4 - 0.25));
    }
    return ok;
}

// A copy of the bytes with byte `at` replaced.
std::string with_byte(std::string s, std::size_t at, char c) {
    s[at] = c;
    return s;
}

} // namespace

TEST_CASE("NumPy's float32 and float64 files read exactly, little- and big-endian, versions 1.0, 2.0 and 3.0") {
    for (const char* file : {"f4.npy", "f4_big_endian.npy", "f4_v2.npy", "f4_v3.npy"}) {
        INFO(file);
        const auto a = kiln::io::load_npy<float>(npy_data(file));
        INFO(message(a));
        REQUIRE(a);
        CHECK(a->shape == std::vector<std::size_t>{2, 3});
        CHECK(a->values == quarters<float>());
        // float32 into double is exact, so it is allowed.
        const auto d = kiln::io::load_npy<double>(npy_data(file));
        REQUIRE(d);
        CHECK(d->values == quarters<double>());
    }
    for (const char* file : {"f8.npy", "f8_big_endian.npy"}) {
        const auto a = kiln::io::load_npy<double>(npy_data(file));
        REQUIRE(a);
        CHECK(a->values == quarters<double>());
    }
}

TEST_CASE("fortran_order True data is transposed into C order, in two and three dimensions") {
    const auto a = kiln::io::load_npy<float>(npy_data("f4_fortran.npy"));
    REQUIRE(a);
    CHECK(a->shape == std::vector<std::size_t>{2, 3});
    CHECK(a->values == quarters<float>());
    const auto b = kiln::io::load_npy<double>(npy_data("f8_fortran_3d.npy"));
    REQUIRE(b);
    CHECK(b->shape == std::vector<std::size_t>{2, 3, 4});
    for (std::size_t k = 0; k < 24; ++k) CHECK(b->values[k] == double(k));
}

TEST_CASE("int8 and int32 files read exactly, and shapes () and (0, 3) work") {
    const auto i1 = kiln::io::load_npy<std::int8_t>(npy_data("i1.npy"));
    REQUIRE(i1);
    CHECK(i1->values == std::vector<std::int8_t>{-128, -1, 0, 127});
    const auto i1f = kiln::io::load_npy<float>(npy_data("i1.npy"));
    REQUIRE(i1f);
    CHECK(i1f->values == std::vector<float>{-128, -1, 0, 127});
    const std::vector<std::int32_t> i4_values{std::numeric_limits<std::int32_t>::min(), -1, 0, 2147483647, 7, 16777217};
    for (const char* file : {"i4.npy", "i4_big_endian.npy"}) {
        const auto i4 = kiln::io::load_npy<std::int32_t>(npy_data(file));
        REQUIRE(i4);
        CHECK(i4->shape == std::vector<std::size_t>{3, 2});
        CHECK(i4->values == i4_values);
        const auto d = kiln::io::load_npy<double>(npy_data(file));
        REQUIRE(d);
        CHECK(d->values[5] == 16777217.0);
    }
    const auto scalar = kiln::io::load_npy<double>(npy_data("scalar.npy"));
    REQUIRE(scalar);
    CHECK(scalar->shape.empty());
    CHECK(scalar->values == std::vector<double>{2.5});
    const auto empty = kiln::io::load_npy<float>(npy_data("empty.npy"));
    REQUIRE(empty);
    CHECK(empty->shape == std::vector<std::size_t>{0, 3});
    CHECK(empty->values.empty());
}

TEST_CASE("a conversion that could change values is refused by name, and rounds only when asked") {
    const std::string f8 = npy_data("f8.npy").string(), i4 = npy_data("i4.npy").string();
    CHECK(message(kiln::io::load_npy<float>(f8)) ==
          f8 + ": dtype float64 ('<f8') cannot be read into float32 without changing values "
               "(pass {.allow_rounding = true} to round to the nearest float)");
    const auto rounded = kiln::io::load_npy<float>(f8, {.allow_rounding = true});
    REQUIRE(rounded);
    CHECK(rounded->values == quarters<float>());
    const auto i4f = kiln::io::load_npy<float>(i4, {.allow_rounding = true});
    REQUIRE(i4f);
    CHECK(i4f->values[5] == 16777216.0f);
    CHECK(message(kiln::io::load_npy<std::int8_t>(i4)) == i4 + ": dtype int32 ('<i4') cannot be read into int8 without changing values");
    CHECK(message(kiln::io::load_npy<std::int32_t>(npy_data("f4.npy"))) ==
          npy_data("f4.npy").string() + ": dtype float32 ('<f4') cannot be read into int32 without changing values");
    CHECK(message(kiln::io::load_npy<double>(npy_data("i8.npy"))) ==
          npy_data("i8.npy").string() +
              ": dtype \"<i8\" is not one kiln reads (float32 '<f4', float64 '<f8', int8 '|i1', int32 '<i4', or '>' for big-endian)");
    // A float64 value beyond float's range is refused even when rounding is allowed.
    const auto big = kiln::io::npy_bytes(kiln::io::npy_array<double>{{2}, {1.0, 1e300}});
    REQUIRE(big);
    CHECK(message(kiln::io::parse_npy<float>(*big, "big.npy", {.allow_rounding = true})) ==
          "big.npy: value 1e+300 at position 1 is out of range for float32");
}

TEST_CASE("kiln writes the bytes np.save writes, and reads back what it writes, for every dtype and rank") {
    const auto f4 = kiln::io::npy_bytes(kiln::io::npy_array<float>{{2, 3}, quarters<float>()});
    REQUIRE(f4);
    CHECK(*f4 == bytes_of("f4.npy"));
    CHECK(*kiln::io::npy_bytes(kiln::io::npy_array<double>{{2, 3}, quarters<double>()}) == bytes_of("f8.npy"));
    CHECK(*kiln::io::npy_bytes(kiln::io::npy_array<double>{{}, {2.5}}) == bytes_of("scalar.npy"));
    CHECK(*kiln::io::npy_bytes(kiln::io::npy_array<std::int8_t>{{4}, {-128, -1, 0, 127}}) == bytes_of("i1.npy"));

    const kiln::io::npy_array<double> odd{{1, 2, 1}, {-0.0, std::numeric_limits<double>::denorm_min()}};
    const auto back = kiln::io::parse_npy<double>(*kiln::io::npy_bytes(odd), "odd.npy");
    REQUIRE(back);
    CHECK(back->shape == odd.shape);
    CHECK(std::signbit(back->values[0]));
    CHECK(back->values[1] == std::numeric_limits<double>::denorm_min());
    const kiln::io::npy_array<std::int32_t> ints{{3}, {-7, 0, 2147483647}};
    CHECK(*kiln::io::parse_npy<std::int32_t>(*kiln::io::npy_bytes(ints), "i.npy") == ints);

    // Magic + header is a multiple of 64, also for a header too long for version 1.0.
    std::vector<std::size_t> many(30000, 1);
    const auto wide = kiln::io::npy_bytes(kiln::io::npy_array<float>{many, {1.5f}});
    REQUIRE(wide);
    CHECK(static_cast<unsigned char>((*wide)[6]) == 2);
    CHECK((wide->size() - 4) % 64 == 0);
    CHECK(kiln::io::parse_npy<float>(*wide, "wide.npy")->shape.size() == 30000);

    CHECK(message(kiln::io::npy_bytes(kiln::io::npy_array<float>{{2, 2}, {1, 2, 3}})) == "shape (2, 2) holds 4 values, the array 3");

    const auto path = std::filesystem::temp_directory_path() / "kiln_npy_test_save.npy";
    REQUIRE(kiln::io::save_npy(path, kiln::io::npy_array<float>{{2, 3}, quarters<float>()}));
    CHECK(*kiln::io::read_text_file(path) == bytes_of("f4.npy"));
    std::filesystem::remove(path);
}

TEST_CASE("headers are read whatever their key order, spacing and trailing comma") {
    const std::string data(8, '\0');  // two float32 zeros
    const auto with_header = [&](std::string dict) {
        std::string s = "\x93NUMPY\x01";
        s += '\0';
        s += static_cast<char>(dict.size());
        s += '\0';
        return s + dict + data;
    };
    for (const char* dict : {"{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}\n",
                             "{ \"descr\" : \"<f4\" ,'shape':(2 , ),'fortran_order':True,}   \n",
                             "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }\n",
                             "{'descr':'<f4','fortran_order':False,'shape':(1,2)}"}) {
        INFO(dict);
        const auto a = kiln::io::parse_npy<float>(with_header(dict), "h.npy");
        INFO(message(a));
        REQUIRE(a);
        CHECK(a->values == std::vector<float>{0, 0});
    }
}

TEST_CASE("every malformed .npy file is an error saying what is wrong") {
    const std::string good = bytes_of("f4.npy");
    const auto err = [](const std::string& bytes) { return message(kiln::io::parse_npy<float>(bytes, "w.npy")); };
    CHECK(err("") == "w.npy: truncated .npy file: 0 bytes, fewer than the magic and version");
    CHECK(err(good.substr(0, 5)) == "w.npy: truncated .npy file: 5 bytes, fewer than the magic and version");
    CHECK(err("PK\x03\x04 not npy") == "w.npy: not a .npy file: it does not start with the magic \"\\x93NUMPY\" (found \"PK\\x03\\x04 n\")");
    CHECK(err(with_byte(good, 6, 4)) == "w.npy: unsupported .npy version 4.0 (kiln reads 1.0, 2.0 and 3.0)");
    CHECK(err(with_byte(good, 7, 1)) == "w.npy: unsupported .npy version 1.1 (kiln reads 1.0, 2.0 and 3.0)");
    CHECK(err(good.substr(0, 9)) == "w.npy: truncated header: the file ends inside the header length field (9 bytes)");
    CHECK(err(good.substr(0, 100)) == "w.npy: truncated header: version 1.0 header claims 118 bytes, the file has 90 after the length field");
    // A version 2.0 file read with 1.0's two-byte length would misplace everything: the length field is honoured.
    CHECK(err(with_byte(bytes_of("f4_v2.npy"), 6, 1)).find("w.npy: malformed header: expected '{' at byte 10") == 0);
    CHECK(err(good.substr(0, good.size() - 1)) ==
          "w.npy: truncated data: shape (2, 3) of float32 needs 24 bytes, the file has 23 after the header");
    CHECK(err(good + "x") == "w.npy: trailing bytes: shape (2, 3) of float32 needs 24 bytes, the file has 25 after the header");

    std::string header = good.substr(0, 128), data = good.substr(128);
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string h = header;
        h.replace(h.find(from), from.size(), to);
        h.resize(128, ' ');
        h.back() = '\n';
        return h + data;
    };
    CHECK(err(replaced("'shape'", "'shapes'")) ==
          "w.npy: malformed header: unexpected key \"shapes\" (a .npy header holds 'descr', 'fortran_order' and 'shape')");
    CHECK(err(replaced("'fortran_order': False, ", "")) == "w.npy: malformed header: no 'fortran_order' key");
    CHECK(err(replaced("'fortran_order': False", "'descr': '<f4'")) == "w.npy: malformed header: key 'descr' given twice");
    CHECK(err(replaced("False", "0")) == "w.npy: malformed header: expected True or False at byte 44, found \"0, 'shape': (2, 3), \"");
    CHECK(err(replaced("(2, 3)", "(2, -3)")) ==
          "w.npy: malformed header: expected the shape as a tuple of integers (e.g. (64, 32)) at byte 64, found \"-3), }              \"");
    CHECK(err(replaced("'<f4'", "'<f2'")) ==
          "w.npy: dtype \"<f2\" is not one kiln reads (float32 '<f4', float64 '<f8', int8 '|i1', int32 '<i4', or '>' for big-endian)");
    CHECK(err(replaced("'<f4'", "'|f4'")).find("w.npy: dtype \"|f4\" is not one kiln reads") == 0);
    CHECK(err(replaced("}", "} x")) == "w.npy: malformed header: expected only spaces and a newline after the header's '}' at byte 70, found \"x                   \"");
    CHECK(err(replaced("(2, 3)", "(4294967296, 4294967296, 4294967296)")) ==
          "w.npy: shape (4294967296, 4294967296, 4294967296) holds more values than memory can index");
    CHECK(err(replaced("(2, 3)", "(2, 4)")) == "w.npy: truncated data: shape (2, 4) of float32 needs 32 bytes, the file has 24 after the header");
    const auto missing = kiln::io::load_npy<float>(npy_data("no_such.npy"));
    CHECK(message(missing) == npy_data("no_such.npy").string() + ": file not found");
}

TEST_CASE("np.savez archives read member by member, and kiln's archives read back the same") {
    const auto archive = kiln::io::load_npz(npy_data("net_pytorch.npz"));
    INFO(message(archive));
    REQUIRE(archive);
    REQUIRE(archive->members.size() == 4);
    CHECK(archive->members[0].name == "0.weight");
    const auto w = kiln::io::array<float>(*archive, "1.weight");
    REQUIRE(w);
    CHECK(w->shape == std::vector<std::size_t>{2, 4});
    CHECK(w->values[1] == -(0.0f - 1.0f) / 8);
    CHECK(message(kiln::io::array<float>(*archive, "2.weight")) ==
          npy_data("net_pytorch.npz").string() +
              ": no array '2.weight' (the archive holds '0.weight', '0.bias', '1.weight', '1.bias')");

    const auto bytes = kiln::io::npz_bytes(archive->members);
    REQUIRE(bytes);
    const auto again = kiln::io::parse_npz(*bytes, "again.npz");
    REQUIRE(again);
    REQUIRE(again->members.size() == 4);
    for (std::size_t k = 0; k < 4; ++k) {
        CHECK(again->members[k].name == archive->members[k].name);
        CHECK(again->members[k].npy == archive->members[k].npy);
    }
    CHECK(message(kiln::io::npz_bytes({{"a", "x"}, {"a", "y"}})) == "two arrays are called \"a\"");
    CHECK(message(kiln::io::npz_bytes({{"", "x"}})) == "array 0 has no name");
    const auto none = kiln::io::parse_npz(*kiln::io::npz_bytes({}), "none.npz");
    REQUIRE(none);
    CHECK(none->members.empty());
}

TEST_CASE("an archive with zip64 sizes, offsets and end records reads as the plain one") {
    const auto zip64 = kiln::io::load_npz(npy_data("net_zip64.npz"));
    INFO(message(zip64));
    REQUIRE(zip64);
    const auto plain = kiln::io::load_npz(npy_data("net_pytorch.npz"));
    REQUIRE(zip64->members.size() == plain->members.size());
    for (std::size_t k = 0; k < plain->members.size(); ++k) {
        CHECK(zip64->members[k].name == plain->members[k].name);
        CHECK(zip64->members[k].npy == plain->members[k].npy);
    }
    // The end record's entry counts set to 0xffff send the reader to the zip64 end record
    // (Python leaves them as they are when they fit); without its locator it cannot be found.
    std::string bytes = bytes_of("net_zip64.npz");
    const std::size_t eocd = bytes.size() - 22;
    for (std::size_t k = 8; k < 12; ++k) bytes[eocd + k] = '\xff';
    const auto via_record = kiln::io::parse_npz(bytes, "z.npz");
    INFO(message(via_record));
    REQUIRE(via_record);
    CHECK(via_record->members.size() == 4);
    const std::size_t locator = bytes.find(std::string("PK\x06\x07", 4));
    REQUIRE(locator != std::string::npos);
    CHECK(message(kiln::io::parse_npz(with_byte(bytes, locator, 'Q'), "z.npz")) ==
          "z.npz: malformed zip64 archive: no zip64 end of central directory locator");
}

TEST_CASE("every malformed or unsupported .npz archive is an error naming the member") {
    const std::string good = bytes_of("net_pytorch.npz");
    const auto err = [](const std::string& bytes) { return message(kiln::io::parse_npz(bytes, "w.npz")); };
    CHECK(err(bytes_of("net_compressed.npz")) ==
          "w.npz: npz member '0.weight.npy' is compressed (np.savez_compressed); kiln reads only np.savez archives");
    CHECK(err("") == "w.npz: not an .npz archive (a zip file): it is 0 bytes long");
    CHECK(err(bytes_of("f4.npy")) == "w.npz: not an .npz archive: no zip end of central directory record (found \"\\x93NUMPY\" at the start)");
    CHECK(err(good.substr(0, good.size() - 30)) ==
          "w.npz: truncated .npz archive: no end of central directory record (the zip's last part is missing)");
    // The first member's data starts after its 30-byte local header, its name and NumPy's zip64 extra field.
    const std::size_t data_at = 30 + std::string("0.weight.npy").size() + 20;
    CHECK(good.substr(data_at, 6) == "\x93NUMPY");
    CHECK(err(with_byte(good, data_at + 130, 'x')).find("w.npz: npz member '0.weight.npy' fails its CRC-32 check (stored 0x") == 0);
    CHECK(err(with_byte(good, 0, 'Q')) == "w.npz: malformed .npz archive: npz member '0.weight.npy''s local header is not at byte 0");
    // The central directory's first entry: method (offset 10) deflate, another method, encryption (flags bit 0).
    const std::size_t cd = good.rfind(std::string("PK\x01\x02", 4), good.find(std::string("PK\x05\x06", 4)));
    const std::size_t first_cd = good.find(std::string("PK\x01\x02", 4));
    REQUIRE(cd != std::string::npos);
    CHECK(err(with_byte(good, first_cd + 10, 12)) ==
          "w.npz: npz member '0.weight.npy' uses zip compression method 12; kiln reads only np.savez archives (stored members)");
    CHECK(err(with_byte(good, first_cd + 8, 1)) == "w.npz: npz member '0.weight.npy' is encrypted; kiln reads only np.savez archives");
    CHECK(err(with_byte(good, first_cd + 20, 0)).find("is stored but its sizes differ") != std::string::npos);
    // The end record claiming more entries than the directory can hold.
    const std::size_t eocd = good.size() - 22;
    CHECK(err(with_byte(good, eocd + 10, 100)) == "w.npz: malformed .npz archive: 100 entries cannot fit a 228-byte central directory");
    INFO(err(with_byte(good, eocd + 19, 1)));
    CHECK(err(with_byte(good, eocd + 19, 1)).find("w.npz: truncated .npz archive: the central directory (228 bytes at ") == 0);

    // A member that is not a valid .npy file is reported when it is read, naming the array.
    const auto broken = kiln::io::parse_npz(*kiln::io::npz_bytes({{"w", "not npy"}}), "b.npz");
    REQUIRE(broken);
    CHECK(message(kiln::io::array<float>(*broken, "w")) ==
          "b.npz: array 'w': not a .npy file: it does not start with the magic \"\\x93NUMPY\" (found \"not np\")");
}

TEST_CASE("a network loads from PyTorch and Keras archives, through weight(o, i) and bias(o)") {
    net_f f{};
    REQUIRE(message(kiln::io::load_npz(f, npy_data("net_pytorch.npz"), kiln::io::layout::pytorch)) == "ok");
    CHECK(is_fixture_network(f));
    net_d d{};
    REQUIRE(message(kiln::io::load_npz(d, npy_data("net_keras.npz"), kiln::io::layout::keras)) == "ok");
    CHECK(is_fixture_network(d));
    // float32 weights into a double network: exact.
    net_d from_f4{};
    REQUIRE(kiln::io::load_npz(from_f4, npy_data("net_pytorch.npz"), kiln::io::layout::pytorch));
    CHECK(from_f4 == d);
    // float64 weights into a float network only when the caller allows rounding.
    net_f rounded{};
    const std::string f8 = npy_data("net_pytorch_f8.npz").string();
    CHECK(message(kiln::io::load_npz(rounded, f8, kiln::io::layout::pytorch)) ==
          f8 + ": array '0.weight': dtype float64 ('<f8') cannot be read into float32 without changing values "
               "(pass {.allow_rounding = true} to round to the nearest float)");
    CHECK(rounded == net_f{});
    REQUIRE(kiln::io::load_npz(rounded, f8, kiln::io::layout::pytorch, {.allow_rounding = true}));
    CHECK(rounded == f);

    // Saved and loaded again in either layout, the network is the same, bit for bit.
    const auto path = std::filesystem::temp_directory_path() / "kiln_npy_test_net.npz";
    for (auto l : {kiln::io::layout::pytorch, kiln::io::layout::keras}) {
        REQUIRE(kiln::io::save_npz(f, path, l));
        net_f back{};
        REQUIRE(message(kiln::io::load_npz(back, path, l)) == "ok");
        CHECK(back == f);
    }
    // kiln's PyTorch archive of the float network is NumPy's file's arrays, byte for byte.
    REQUIRE(kiln::io::save_npz(f, path, kiln::io::layout::pytorch));
    const auto ours = kiln::io::load_npz(path);
    const auto numpys = kiln::io::load_npz(npy_data("net_pytorch.npz"));
    REQUIRE(ours->members.size() == numpys->members.size());
    for (std::size_t k = 0; k < ours->members.size(); ++k) {
        CHECK(ours->members[k].name == numpys->members[k].name);
        CHECK(ours->members[k].npy == numpys->members[k].npy);
    }
    std::filesystem::remove(path);
}

TEST_CASE("a network's arrays may be named layer by layer, as nn.Sequential numbers its modules") {
    const net_f f = [] {
        net_f n{};
        REQUIRE(kiln::io::load_npz(n, npy_data("net_pytorch.npz"), kiln::io::layout::pytorch));
        return n;
    }();
    const kiln::io::npz_options names{.layer_names = {"0", "2"}};
    auto members = kiln::io::npz_members(f, kiln::io::layout::pytorch, names);
    REQUIRE(members);
    CHECK((*members)[2].name == "2.weight");
    const auto archive = kiln::io::parse_npz(*kiln::io::npz_bytes(*members), "seq.npz");
    net_f back{};
    REQUIRE(message(kiln::io::load_npz(back, *archive, kiln::io::layout::pytorch, names)) == "ok");
    CHECK(back == f);
    CHECK(message(kiln::io::load_npz(back, *archive, kiln::io::layout::pytorch, {.layer_names = {"0"}})) ==
          "seq.npz: layer_names gives 1 names for a network of 2 layers");
}

TEST_CASE("an archive that does not fit the network is refused, naming the array, the layer and the layout") {
    const std::string pt = npy_data("net_pytorch.npz").string(), keras = npy_data("net_keras.npz").string();
    net_f f{};
    // The wrong layout named: the arrays are not there.
    CHECK(message(kiln::io::load_npz(f, keras, kiln::io::layout::pytorch)) ==
          keras + ": no array '0.weight' for layer 0 (dense<3, 4>) in PyTorch layout [out, in] (the archive holds "
                  "'dense.kernel', 'dense.bias', 'dense_1.kernel', 'dense_1.bias')");
    // A network the archive does not describe.
    kiln::network<float, kiln::dense<4, 3, kiln::tanh>, kiln::dense<3, 2>> other{};
    CHECK(message(kiln::io::load_npz(other, pt, kiln::io::layout::pytorch)) ==
          pt + ": array '0.weight' has shape (4, 3), expected (3, 4) for layer 0 (dense<4, 3>) in PyTorch layout [out, in]");
    kiln::network<double, kiln::dense<3, 4, kiln::tanh>, kiln::dense<4, 3>> wider{};
    CHECK(message(kiln::io::load_npz(wider, keras, kiln::io::layout::keras)) ==
          keras + ": array 'dense_1.kernel' has shape (4, 2), expected (4, 3) for layer 1 (dense<4, 3>) in Keras layout [in, out]");
    kiln::network<float, kiln::dense<3, 4, kiln::tanh>> shallow{};
    CHECK(message(kiln::io::load_npz(shallow, pt, kiln::io::layout::pytorch)) ==
          pt + ": array '1.weight' belongs to no layer of the network (1 layer in PyTorch layout)");
    kiln::network<float, kiln::dense<3, 4, kiln::tanh, kiln::no_bias>, kiln::dense<4, 2>> unbiased{};
    CHECK(message(kiln::io::load_npz(unbiased, pt, kiln::io::layout::pytorch)) ==
          pt + ": array '0.bias' is a bias, but layer 0 (dense<3, 4, no_bias>) has none");

    // A missing bias, a bias of the wrong shape, a NaN: each named; the network stays as it was.
    auto archive = *kiln::io::load_npz(pt);
    auto without_bias = archive;
    without_bias.members.erase(without_bias.members.begin() + 3);
    CHECK(message(kiln::io::load_npz(f, without_bias, kiln::io::layout::pytorch)) ==
          pt + ": no array '1.bias' for layer 1 (dense<4, 2>) in PyTorch layout [out] (the archive holds '0.weight', "
               "'0.bias', '1.weight')");
    auto bad_bias = archive;
    bad_bias.members[1].npy = *kiln::io::npy_bytes(kiln::io::npy_array<float>{{1, 4}, {0, 0, 0, 0}});
    CHECK(message(kiln::io::load_npz(f, bad_bias, kiln::io::layout::pytorch)) ==
          pt + ": array '0.bias' has shape (1, 4), expected (4,) for layer 0 (dense<3, 4>) in PyTorch layout [out]");
    auto nan = archive;
    nan.members[2].npy = *kiln::io::npy_bytes(
        kiln::io::npy_array<float>{{2, 4}, {0, 0, 0, 0, 0, std::numeric_limits<float>::quiet_NaN(), 0, 0}});
    CHECK(message(kiln::io::load_npz(f, nan, kiln::io::layout::pytorch)) ==
          pt + ": array '1.weight' holds NaN at position 5 (layer 1 (dense<4, 2>))");
    CHECK(f == net_f{});
    CHECK(message(kiln::io::load_npz(f, npy_data("missing.npz"), kiln::io::layout::pytorch)) ==
          npy_data("missing.npz").string() + ": file not found");
}

TEST_CASE("the seed's weights trained by NumPy load into kiln's seed network and predict what NumPy predicts") {
    seed::network net{};
    const std::string file = npy_data("seed.npz").string();
    REQUIRE(message(kiln::io::load_npz(net, file, kiln::io::layout::keras)) == "ok");
    // The very weights the tutorial's program prints (shared/seed/REFERENCE.md).
    for (std::size_t i = 0; i < 3; ++i) CHECK(net.layer<0>().weight(0, i) == seed::numpy::final_weights[i]);
    const auto predictions = kiln::io::load_npy<double>(npy_data("seed_predictions.npy"));
    REQUIRE(predictions);
    REQUIRE(predictions->shape == std::vector<std::size_t>{4, 1});
    for (std::size_t r = 0; r < 4; ++r) {
        const auto y = net.predict({seed::data[r].x[0], seed::data[r].x[1], seed::data[r].x[2]});
        CHECK(seed::close(y[0], predictions->values[r], 1e-12));
        CHECK(predictions->values[r] == seed::numpy::final_prediction[r]);
    }
    // As a PyTorch state_dict the same layer is one "0.weight" of shape (1, 3), and no bias.
    const auto members = kiln::io::npz_members(net, kiln::io::layout::pytorch);
    REQUIRE(members);
    REQUIRE(members->size() == 1);
    CHECK(kiln::io::parse_npy<double>((*members)[0].npy, "w")->shape == std::vector<std::size_t>{1, 3});
}
