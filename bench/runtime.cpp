// bench/runtime.cpp — kiln's run-time training and inference speed against a hand-written fixed-size network doing the same arithmetic.
//
// A 64-32-10 float network (sigmoid hidden and output layers, squared error summed, online
// SGD: one update per sample, learning rate 0.1) on digits-sized synthetic data: 1438 rows
// of 64 inputs in [0, 1], one-hot targets for 10 classes. The baseline is the plainest
// fixed-size code: C arrays, loops, kiln's exp, the same operation order, so the two
// should end with the same bits and any speed difference is the training code itself.
// Repetitions alternate baseline and kiln (each from the same initial weights); medians.
//
// Usage: bench_runtime [repetitions=7] [epochs per repetition=5] [inference passes=20]
#include <kiln/kiln.hpp>

#include "kiln_exp.hpp"
#include "splitmix.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#ifndef KILN_BENCH_FLAGS
#define KILN_BENCH_FLAGS "(flags not recorded)"
#endif

namespace {

constexpr std::size_t n_in = 64, n_hidden = 32, n_out = 10, n_rows = 1438;
using sample = kiln::sample<float, n_in, n_out>;
using kiln_net = kiln::network<float, kiln::dense<n_in, n_hidden, kiln::sigmoid>, kiln::dense<n_hidden, n_out, kiln::sigmoid>>;
constexpr float learning_rate = 0.1f;

// ------------------------------------------------------------------ data

// Ten random "glyphs" of 64 pixels; each row is its class's glyph with some pixels
// flipped towards noise, quantised to 17 levels like the 8x8 digits (0..16 / 16).
std::vector<sample> synthetic_digits() {
    splitmix g{20240601};
    float glyph[n_out][n_in];
    for (auto& c : glyph)
        for (float& p : c) p = g.unit_float() < 0.4f ? 1.0f : 0.0f;
    std::vector<sample> rows(n_rows);
    for (std::size_t r = 0; r < n_rows; ++r) {
        const std::size_t c = r % n_out;
        for (std::size_t i = 0; i < n_in; ++i) {
            const float v = g.unit_float() < 0.2f ? g.unit_float() : glyph[c][i];
            rows[r].x[i] = float(int(v * 16.0f + 0.5f)) / 16.0f;
        }
        for (std::size_t o = 0; o < n_out; ++o) rows[r].y[o] = o == c ? 1.0f : 0.0f;
    }
    return rows;
}

// ------------------------------------------------------------------ the baseline
struct baseline_net {
    float w1[n_hidden][n_in], b1[n_hidden];
    float w2[n_out][n_hidden], b2[n_out];
};

inline float sigmoid(float z) { return 1.0f / (1.0f + bench_math::exp(-z)); }

inline void forward(const baseline_net& n, const float (&x)[n_in], float (&h)[n_hidden], float (&a)[n_out]) {
    for (std::size_t j = 0; j < n_hidden; ++j) {
        float z = n.w1[j][0] * x[0];
        for (std::size_t i = 1; i < n_in; ++i) z += n.w1[j][i] * x[i];
        h[j] = sigmoid(z + n.b1[j]);
    }
    for (std::size_t o = 0; o < n_out; ++o) {
        float z = n.w2[o][0] * h[0];
        for (std::size_t j = 1; j < n_hidden; ++j) z += n.w2[o][j] * h[j];
        a[o] = sigmoid(z + n.b2[o]);
    }
}

// One sample: forward, dL/dz at the output ((a - y) a (1 - a)), back through the output
// weights (before they move), then both layers' updates.
inline void train_one(baseline_net& n, const sample& s) {
    float h[n_hidden], a[n_out], d_out[n_out], d_hid[n_hidden];
    forward(n, s.x, h, a);
    for (std::size_t o = 0; o < n_out; ++o) d_out[o] = (a[o] - s.y[o]) * (a[o] * (1.0f - a[o]));
    for (std::size_t j = 0; j < n_hidden; ++j) d_hid[j] = 0.0f;
    for (std::size_t o = 0; o < n_out; ++o)
        for (std::size_t j = 0; j < n_hidden; ++j) d_hid[j] += n.w2[o][j] * d_out[o];
    for (std::size_t j = 0; j < n_hidden; ++j) d_hid[j] = d_hid[j] * (h[j] * (1.0f - h[j]));
    for (std::size_t o = 0; o < n_out; ++o) {
        for (std::size_t j = 0; j < n_hidden; ++j) n.w2[o][j] -= learning_rate * (d_out[o] * h[j]);
        n.b2[o] -= learning_rate * d_out[o];
    }
    for (std::size_t j = 0; j < n_hidden; ++j) {
        for (std::size_t i = 0; i < n_in; ++i) n.w1[j][i] -= learning_rate * (d_hid[j] * s.x[i]);
        n.b1[j] -= learning_rate * d_hid[j];
    }
}

baseline_net to_baseline(const kiln_net& k) {
    baseline_net b{};
    for (std::size_t j = 0; j < n_hidden; ++j) {
        for (std::size_t i = 0; i < n_in; ++i) b.w1[j][i] = k.layer<0>().weight(j, i);
        b.b1[j] = k.layer<0>().b[j];
    }
    for (std::size_t o = 0; o < n_out; ++o) {
        for (std::size_t j = 0; j < n_hidden; ++j) b.w2[o][j] = k.layer<1>().weight(o, j);
        b.b2[o] = k.layer<1>().b[o];
    }
    return b;
}

// ------------------------------------------------------------------ the timed work
// Each behind its own non-inlined function, so that one side's code size cannot change how
// the compiler inlines and optimises the other inside main().
[[gnu::noinline]] void train_baseline(baseline_net& b, const std::vector<sample>& rows, int epochs) {
    for (int e = 0; e < epochs; ++e)
        for (const sample& s : rows) train_one(b, s);
}
[[gnu::noinline]] void train_kiln(kiln_net& k, kiln::dataset_view<float, n_in, n_out> data, int epochs) {
    kiln::fit(k, data, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = learning_rate},
              {.epochs = std::size_t(epochs), .batch_size = 1});
}
[[gnu::noinline]] float infer_baseline(const baseline_net& b, const std::vector<sample>& rows, int passes) {
    float h[n_hidden], a[n_out], sum = 0;
    for (int p = 0; p < passes; ++p)
        for (const sample& s : rows) forward(b, s.x, h, a), sum += a[p % n_out];
    return sum;
}
[[gnu::noinline]] float infer_kiln(const kiln_net& k, const std::vector<sample>& rows, int passes) {
    float a[n_out], sum = 0;
    for (int p = 0; p < passes; ++p)
        for (const sample& s : rows) k.predict(s.x, a), sum += a[p % n_out];
    return sum;
}

// ------------------------------------------------------------------ timing
using clock_type = std::chrono::steady_clock;
template <class F>
double seconds(F&& f) {
    const auto t0 = clock_type::now();
    f();
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// Largest |a - b| / max(|a|, |b|) over the parameters, and how many differ at all.
struct difference {
    double max_relative = 0;
    std::size_t differing = 0, total = 0;
    void add(float a, float b) {
        ++total;
        if (a == b) return;
        ++differing;
        const double d = a > b ? double(a) - b : double(b) - a;
        const double m = std::max(a < 0 ? -double(a) : double(a), b < 0 ? -double(b) : double(b));
        max_relative = std::max(max_relative, d / m);
    }
};
difference compare(const kiln_net& k, const baseline_net& b) {
    difference d;
    const baseline_net kb = to_baseline(k);
    for (std::size_t j = 0; j < n_hidden; ++j) {
        for (std::size_t i = 0; i < n_in; ++i) d.add(kb.w1[j][i], b.w1[j][i]);
        d.add(kb.b1[j], b.b1[j]);
    }
    for (std::size_t o = 0; o < n_out; ++o) {
        for (std::size_t j = 0; j < n_hidden; ++j) d.add(kb.w2[o][j], b.w2[o][j]);
        d.add(kb.b2[o], b.b2[o]);
    }
    return d;
}

} // namespace

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::atoi(argv[1]) : 7;
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 5;
    const int passes = argc > 3 ? std::atoi(argv[3]) : 20;
    if (reps < 1 || epochs < 1 || passes < 1) {
        std::fprintf(stderr, "usage: %s [repetitions >= 1] [epochs >= 1] [inference passes >= 1]\n", argv[0]);
        return 2;
    }

    const std::vector<sample> rows = synthetic_digits();
    const kiln::dataset_view<float, n_in, n_out> data{rows};
    const kiln_net initial = kiln_net::initialized(kiln::xavier_uniform{}, kiln::seed{1});

    std::vector<double> time_train_base, time_train_kiln, time_infer_base, time_infer_kiln;
    baseline_net b{};
    kiln_net k{};
    volatile float sink = 0;  // keeps the inference loops from being optimised away
    bool outputs_equal = true;
    for (int r = 0; r < reps; ++r) {
        b = to_baseline(initial);
        k = initial;
        time_train_base.push_back(seconds([&] { train_baseline(b, rows, epochs); }));
        time_train_kiln.push_back(seconds([&] { train_kiln(k, data, epochs); }));
        float sum_b = 0, sum_k = 0;
        time_infer_base.push_back(seconds([&] { sum_b = infer_baseline(b, rows, passes); }));
        time_infer_kiln.push_back(seconds([&] { sum_k = infer_kiln(k, rows, passes); }));
        outputs_equal = outputs_equal && sum_b == sum_k;
        sink = sink + sum_b + sum_k;
    }

    const difference d = compare(k, b);
    float correct = 0;
    for (const sample& s : rows) {
        float a[n_out];
        k.predict(s.x, a);
        correct += float(std::max_element(a, a + n_out) - a == std::max_element(s.y, s.y + n_out) - s.y);
    }

    const double train_samples = double(epochs) * n_rows, infer_samples = double(passes) * n_rows;
    const double tb = train_samples / median(time_train_base), tk = train_samples / median(time_train_kiln);
    const double ib = infer_samples / median(time_infer_base), ik = infer_samples / median(time_infer_kiln);
#if defined(__clang__)
    const char* compiler = "clang " __clang_version__;
#else
    const char* compiler = "gcc " __VERSION__;
#endif
    std::printf("64-32-10 float, sigmoid/sigmoid, squared error, SGD batch 1, lr 0.1, %zu synthetic rows\n", n_rows);
    std::printf("%s, %s; %d repetitions (alternating), %d epochs / %d inference passes each, medians\n\n",
                compiler, KILN_BENCH_FLAGS, reps, epochs, passes);
    std::printf("| measure | baseline samples/s | kiln samples/s | kiln / baseline |\n|---|---|---|---|\n");
    std::printf("| training | %.0f | %.0f | %.2f |\n", tb, tk, tk / tb);
    std::printf("| inference | %.0f | %.0f | %.2f |\n\n", ib, ik, ik / ib);
    if (d.differing == 0)
        std::printf("same computation: all %zu trained parameters are bit-identical; inference sums %s\n", d.total,
                    outputs_equal ? "identical" : "DIFFER");
    else
        std::printf("same computation: %zu of %zu parameters differ, max relative difference %.3g\n", d.differing,
                    d.total, d.max_relative);
    std::printf("training accuracy after %d epochs: %.3f (so the training did something)\n", epochs,
                double(correct) / n_rows);
    return d.max_relative <= 1e-5 && outputs_equal ? 0 : 1;
}
