// tools/bake_csv.cpp — bake a CSV data set into a C++ header of constexpr kiln::dataset values (exact bits).
//
//   bake_csv --in iris.csv --out iris_data.hpp --name iris --type float --inputs 4 --classes 3
//            --label-column 4 --header-lines 1 [--scale 0.0625] [--split-every 5] [--label number]
//
// With --split-every k the header defines <name>_train and <name>_test (row i held out when
// i % k == k - 1, the agreed split); without it, one dataset <name>. The shape is read at
// run time through kiln::io::table, so any number of inputs and classes works. Errors are
// printed as file:line:column: message, and the program exits with 1; the output file is
// then left as it was. Each option may be given once; --out may not name the --in file.
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>
#include <system_error>
#include <string>
#include <string_view>

#include <kiln/io/bake.hpp>
#include <kiln/io/csv.hpp>

namespace {

constexpr const char* usage =
    "usage: bake_csv --in <csv> --out <header> --name <identifier> --inputs <n> --classes <n>\n"
    "                [--type float|double] [--label-column <c>] [--header-lines <n>] [--scale <x>]\n"
    "                [--split-every <k>] [--label class|number]\n"
    "  --inputs        input columns a row holds (every column but the label)\n"
    "  --classes       targets a row gets: the label c in 0..classes-1 becomes a one-hot target;\n"
    "                  with 1, the label (0 or 1) is the target itself\n"
    "  --label number  the label is any finite number, the one target (regression; --classes 1)\n"
    "  --label-column  0-based column of the label (default: the last, after the inputs)\n"
    "  --header-lines  lines skipped before the first row (default 0)\n"
    "  --scale         every input is multiplied by this (default 1)\n"
    "  --split-every   define <name>_train and <name>_test, row i held out when i % k == k - 1\n"
    "  --type          float (default) or double\n";

struct arguments {
    std::string in, out, name, type = "float";
    std::size_t inputs = 0, classes = 0, split_every = 0;
    kiln::io::csv_options csv{};
    std::string command;  // how this header was made, for its first line
};

int fail(const std::string& message) {
    std::fprintf(stderr, "bake_csv: %s\n", message.c_str());
    return 1;
}

bool to_size(std::string_view s, std::size_t& v) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
}

// Whether two paths name one file, however they are spelled (./a.csv, a.csv, a link to
// it): the same file once both exist, else the same normalised absolute path.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    if (std::filesystem::equivalent(a, b, ec) && !ec) return true;
    const auto ca = std::filesystem::weakly_canonical(a, ec);
    if (ec) return false;
    const auto cb = std::filesystem::weakly_canonical(b, ec);
    return !ec && ca == cb;
}

// The arguments, or the message saying which one is wrong.
std::string parse(int argc, char** argv, arguments& a) {
    bool has_label_column = false;
    std::set<std::string_view> given;
    for (int i = 1; i < argc; ++i) {
        const std::string_view option = argv[i];
        if (option == "--help" || option == "-h") return "help";
        if (i + 1 >= argc) return "option " + std::string(option) + " needs a value";
        // A second --in would silently replace the first: refuse it instead.
        if (!given.insert(option).second) return "option " + std::string(option) + " is given twice";
        const std::string_view value = argv[++i];
        const auto bad = [&](const char* what) {
            return "option " + std::string(option) + ": expected " + what + ", found " + kiln::io::detail::quoted(value);
        };
        std::size_t n = 0;
        if (option == "--in") a.in = value;
        else if (option == "--out") a.out = value;
        else if (option == "--name") a.name = value;
        else if (option == "--type") {
            if (value != "float" && value != "double") return bad("float or double");
            a.type = value;
        } else if (option == "--label") {
            if (value == "class") a.csv.label = kiln::io::label_kind::class_index;
            else if (value == "number") a.csv.label = kiln::io::label_kind::number;
            else return bad("class or number");
        } else if (option == "--scale") {
            double x = 0;
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
            if (ec != std::errc{} || p != value.data() + value.size()) return bad("a number");
            a.csv.scale = x;
        } else if (option == "--inputs" || option == "--classes" || option == "--split-every") {
            if (!to_size(value, n) || n == 0) return bad("a positive integer");
            if (option == "--split-every" && n < 2) return bad("an integer of at least 2");
            (option == "--inputs" ? a.inputs : option == "--classes" ? a.classes : a.split_every) = n;
        } else if (option == "--label-column" || option == "--header-lines") {
            if (!to_size(value, n)) return bad("a non-negative integer");
            if (option == "--label-column") {
                a.csv.label_column = n;
                has_label_column = true;
            } else {
                a.csv.header_lines = n;
            }
        } else {
            return "unknown option " + std::string(option);
        }
    }
    if (a.in.empty()) return "--in is required";
    if (a.out.empty()) return "--out is required";
    if (a.name.empty()) return "--name is required";
    if (a.inputs == 0) return "--inputs is required";
    if (a.classes == 0) return "--classes is required";
    if (const std::string why = kiln::io::identifier_problem(a.name); !why.empty()) return "--name: " + why;
    if (same_file(a.in, a.out))
        return "--out \"" + a.out + "\" names the same file as --in \"" + a.in + "\", which baking would overwrite";

    // The header's first line says how to make it again; only the CSV's file name goes in,
    // so the header is the same whichever directory it was built in.
    std::ostringstream c;
    c << "bake_csv --in " << std::filesystem::path(a.in).filename().string() << " --name " << a.name << " --type "
      << a.type << " --inputs " << a.inputs << " --classes " << a.classes;
    if (has_label_column) c << " --label-column " << a.csv.label_column;
    if (a.csv.header_lines != 0) c << " --header-lines " << a.csv.header_lines;
    if (a.csv.scale != 1.0) c << " --scale " << kiln::io::detail::shortest(a.csv.scale);
    if (a.split_every != 0) c << " --split-every " << a.split_every;
    if (a.csv.label == kiln::io::label_kind::number) c << " --label number";
    a.command = c.str();
    return {};
}

template <class T>
int bake(const arguments& a) {
    const auto rows = kiln::io::read_csv_table<T>(a.in, a.inputs, a.classes, a.csv);
    if (!rows) return fail(kiln::io::to_string(rows.error()));

    std::ostringstream text;
    kiln::io::write_header_prologue(text, "Generated from " + a.command + ": do not edit.");
    const auto define = [&](const kiln::io::table<T>& t, const std::string& name) -> bool {
        const auto r = kiln::io::write_dataset_definition(text, t, name);
        if (!r) fail(a.in + ": " + kiln::io::to_string(r.error()));
        return static_cast<bool>(r);
    };
    if (a.split_every != 0) {
        const auto parts = kiln::io::split_every(*rows, a.split_every);
        if (parts.test.rows() == 0)
            return fail(a.in + ": " + std::to_string(rows->rows()) + " rows are too few to hold one in " +
                        std::to_string(a.split_every) + " out");
        if (!define(parts.train, a.name + "_train") || !define(parts.test, a.name + "_test")) return 1;
    } else if (!define(*rows, a.name)) {
        return 1;
    }
    if (const auto w = kiln::io::write_text_file(a.out, text.str()); !w) return fail(kiln::io::to_string(w.error()));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    arguments a;
    if (const std::string m = parse(argc, argv, a); !m.empty()) {
        if (m == "help") {
            std::fputs(usage, stdout);
            return 0;
        }
        std::fprintf(stderr, "bake_csv: %s (bake_csv --help lists the options)\n", m.c_str());
        return 1;
    }
    return a.type == "double" ? bake<double>(a) : bake<float>(a);
}
