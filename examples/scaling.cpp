// examples/scaling.cpp — what input scaling is worth: the same network on raw, standardised and min-max rows.
//
// Part 1 is a synthetic tabular set in the shape such data usually has: eight columns in
// their natural units (an age in years, an income in thousands, a credit score in
// hundreds, an area in thousands, two ratios in 0..1, a count, a distance), and a class 0..2
// that depends on every column equally once each is put on a common scale. Part 2 is
// examples/data/digits.csv with its pixel counts 0..16 as they are, divided by 16, and
// standardised. Each network is trained at run time with the same recipe per part; only
// the inputs differ. Prints the held-out accuracy of each seed and their mean.
//
//   scaling_example [--seeds N] [--data PATH]      (seeds 1..N, 5 by default)
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <kiln/io/csv.hpp>
#include <kiln/io/rows.hpp>
#include <kiln/kiln.hpp>
#include <kiln/scale.hpp>

#ifndef KILN_DIGITS_CSV
#define KILN_DIGITS_CSV "examples/data/digits.csv"
#endif

namespace {

using table_sample = kiln::sample<float, 8, 3>;

/// The synthetic rows: each column uniform on [lo, hi); the class is the tercile of a
/// weighted sum of the columns mapped to [-1, 1], plus one product term and a little noise.
std::vector<table_sample> synthetic_rows(std::size_t n) {
    struct column { double lo, hi, weight; };
    constexpr column columns[8] = {
        {18, 80, 1.0},          // age, years
        {1000, 9000, -1.0},     // monthly income
        {0, 1, 1.0},            // a ratio
        {300, 850, 1.0},        // credit score
        {0, 10, -1.0},          // a count
        {500, 5000, 1.0},       // area
        {0, 1, 1.0},            // a fraction
        {0, 2000, -1.0},        // distance
    };
    kiln::pcg32 engine{kiln::seed{2024}};
    std::vector<table_sample> rows(n);
    for (auto& r : rows) {
        double z = 0, u[8];
        for (std::size_t i = 0; i < 8; ++i) {
            const double v = kiln::uniform_real(engine, columns[i].lo, columns[i].hi);
            r.x[i] = float(v);
            u[i] = 2 * (v - columns[i].lo) / (columns[i].hi - columns[i].lo) - 1;
            z += columns[i].weight * u[i];
        }
        z += 1.5 * u[2] * u[6] + kiln::normal_real(engine, 0.0, 0.2);
        // z has mean 0 and deviation about 1.7: its terciles are near +-0.73.
        const std::size_t c = z < -0.73 ? 0 : z < 0.73 ? 1 : 2;
        r.y[c] = 1;
    }
    return rows;
}

template <class Rows>
Rows copy_scaled(const Rows& rows, const kiln::scaler<float, Rows::value_type::inputs>& s) {
    Rows r = rows;
    s.apply_to(r);
    return r;
}

/// Trains one network per seed on `train` and prints the held-out accuracies and their mean.
template <class Net, class Rows, class Train>
double report(const char* name, const Rows& train, const Rows& test, std::size_t seeds, Train train_one) {
    std::printf("  %-34s", name);
    double sum = 0;
    for (std::size_t seed = 1; seed <= seeds; ++seed) {
        auto net = Net::initialized(kiln::he_uniform{}, kiln::seed{seed});
        const auto result = train_one(net, train, seed);
        if (!result) {
            std::printf(" diverged");  // counted as 0
            continue;
        }
        const double a = kiln::accuracy(net, test);
        std::printf(" %.4f", a);
        sum += a;
    }
    std::printf("   mean %.4f\n", sum / double(seeds));
    return sum / double(seeds);
}

bool read_count(std::string_view text, std::size_t& out) {
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && ptr == text.data() + text.size() && out > 0;
}

} // namespace

int main(int argc, char** argv) {
    std::size_t seeds = 5;
    std::string data = KILN_DIGITS_CSV;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (i + 1 < argc && flag == "--seeds" && read_count(argv[i + 1], seeds)) ++i;
        else if (i + 1 < argc && flag == "--data") data = argv[++i];
        else {
            std::fprintf(stderr, "usage: scaling_example [--seeds N] [--data PATH]\n");
            return 2;
        }
    }

    // ---------------------------------------------------------------- part 1: tabular
    const auto rows = synthetic_rows(1500);
    auto [train, test] = kiln::io::split_every(rows, 5);
    using table_net = kiln::network<float, kiln::dense<8, 16, kiln::relu>, kiln::dense<16, 3, kiln::softmax>>;
    const auto adam = [](double rate) {
        return [rate](table_net& net, const auto& rows, std::size_t seed) {
            return kiln::fit(net, rows, kiln::softmax_cross_entropy{}, kiln::adam{.learning_rate = rate},
                             {.epochs = 50, .batch_size = 16, .shuffle = true, .seed = kiln::seed{seed}});
        };
    };
    const auto standard = kiln::fit_standardizer(train);
    const auto min_max = kiln::fit_min_max(train);
    if (!standard || !min_max) {
        std::fprintf(stderr, "scaling_example: fitting a scaler failed\n");
        return 1;
    }
    std::printf("synthetic tabular data, 8 columns from 0..1 to 1000..9000, 3 classes, %zu rows to train on, %zu held out\n",
                train.size(), test.size());
    std::printf("8-16-3 (relu, softmax), Adam, 50 epochs of batches of 16; held-out accuracy for seeds 1..%zu:\n", seeds);
    const double raw = report<table_net>("raw columns, Adam 0.01", train, test, seeds, adam(0.01));
    const double raw_slow = report<table_net>("raw columns, Adam 0.001", train, test, seeds, adam(0.001));
    const double raw_fast = report<table_net>("raw columns, Adam 0.1", train, test, seeds, adam(0.1));
    const double st = report<table_net>("standardised, Adam 0.01", copy_scaled(train, standard),
                                        copy_scaled(test, standard), seeds, adam(0.01));
    const double mm = report<table_net>("min-max, Adam 0.01", copy_scaled(train, min_max),
                                        copy_scaled(test, min_max), seeds, adam(0.01));
    double best_raw = raw > raw_slow ? raw : raw_slow;
    best_raw = best_raw > raw_fast ? best_raw : raw_fast;
    std::printf("  over the best raw run: standardising gains %.1f points, min-max %.1f\n", 100 * (st - best_raw),
                100 * (mm - best_raw));

    // ---------------------------------------------------------------- part 2: digits
    auto digits = kiln::io::read_csv<float, 64, 10>(data, {.label_column = 64});
    if (!digits) {
        std::fprintf(stderr, "%s\n", kiln::io::to_string(digits.error()).c_str());
        return 1;
    }
    auto [d_train, d_test] = kiln::io::split_every(*digits, 5);
    using digits_net = kiln::network<float, kiln::dense<64, 32, kiln::tanh>, kiln::dense<32, 10, kiln::softmax>>;
    const auto sgd = [](double rate) {
        return [rate](digits_net& net, const auto& rows, std::size_t seed) {
            return kiln::fit(net, rows, kiln::softmax_cross_entropy{}, kiln::sgd{.learning_rate = rate},
                             {.epochs = 30, .batch_size = 1, .shuffle = true, .seed = kiln::seed{seed}});
        };
    };
    kiln::scaler<float, 64> sixteenth{};
    for (float& f : sixteenth.factor) f = 1.0f / 16;
    const auto d_standard = kiln::fit_standardizer(d_train);
    std::printf("digits, 64 pixel counts 0..16, %zu rows to train on, %zu held out\n", d_train.size(), d_test.size());
    std::printf("64-32-10 (tanh, softmax), online SGD, 30 epochs; held-out accuracy for seeds 1..%zu:\n", seeds);
    report<digits_net>("raw pixels 0..16, SGD 0.05", d_train, d_test, seeds, sgd(0.05));
    report<digits_net>("raw pixels 0..16, SGD 0.005", d_train, d_test, seeds, sgd(0.005));
    report<digits_net>("raw pixels 0..16, SGD 0.0005", d_train, d_test, seeds, sgd(0.0005));
    report<digits_net>("pixels / 16, SGD 0.05", copy_scaled(d_train, sixteenth), copy_scaled(d_test, sixteenth), seeds,
                       sgd(0.05));
    report<digits_net>("standardised, SGD 0.05", copy_scaled(d_train, d_standard.get()),
                       copy_scaled(d_test, d_standard.get()), seeds, sgd(0.05));
    return 0;
}
