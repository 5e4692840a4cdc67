// bench/runtime.cpp — kiln's run-time training and inference speed against what a user would otherwise write: a plain loop and Eigen.
//
// The digits data set (examples/data/digits.csv: 1797 rows of 8x8 pixels 0..16, scaled to
// [0, 1]; row i held out when i % 5 == 4, leaving 1438 training and 359 test rows) and a
// 64-32-10 float network: sigmoid hidden layer, softmax output trained with softmax
// cross-entropy, mean reduction (a batch's gradient is the mean of its rows' gradients),
// rows shuffled every epoch. Three implementations start from the same weights (kiln's
// xavier_uniform, seed 1) and train on the same rows:
//  - kiln: kiln::fit and predict, its public API only;
//  - plain: the loop a user writes without a library: std::exp, weights input-major
//    (w[i][h]), `for i: for h: z[h] += w[i][h] * x[i]`, its own shuffle (std::mt19937);
//  - Eigen 3.4, written the usual Eigen way: fixed-size Matrix<float, 32, 64> and friends,
//    .array().exp(), rank-1 noalias() updates for online SGD, matrix products for batches.
// Nothing is shared but the data and the initial weights: each side has its own exp, its
// own operation order and its own shuffle, so the trained weights differ in their last bits
// and the test accuracy each reaches is printed to show that every side really learns.
// Repetitions alternate the sides (kiln, plain, Eigen, kiln, ...), each from the initial
// weights; the figures are medians. Exit status 0, or 1 if any side's test accuracy stays
// below 0.8 or kiln::fit reports divergence (a broken implementation, not a slow one), 2 for
// bad arguments or data.
//
// Usage: bench_runtime [repetitions=5] [path/to/digits.csv]
#include <kiln/io/csv.hpp>
#include <kiln/io/rows.hpp>
#include <kiln/kiln.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#ifndef KILN_BENCH_EIGEN
#define KILN_BENCH_EIGEN 0
#endif
#if KILN_BENCH_EIGEN
#include <Eigen/Dense>
#endif

#ifndef KILN_BENCH_FLAGS
#define KILN_BENCH_FLAGS "(flags not recorded)"
#endif
#ifndef KILN_BENCH_DIGITS_CSV
#define KILN_BENCH_DIGITS_CSV "examples/data/digits.csv"
#endif

namespace {

constexpr std::size_t n_in = 64, n_hidden = 32, n_out = 10;
using sample = kiln::sample<float, n_in, n_out>;
using rows_type = std::vector<sample>;

// What each row of the table trains.
constexpr float sgd_rate = 0.1f;
constexpr float adam_rate = 1e-3f, adam_beta1 = 0.9f, adam_beta2 = 0.999f, adam_epsilon = 1e-7f;
constexpr std::size_t batch = 32;
constexpr std::size_t epochs_online = 5, epochs_batched = 40, inference_passes = 100;
constexpr std::uint64_t shuffle_seed = 7;

std::size_t argmax(const float* a) { return std::size_t(std::max_element(a, a + n_out) - a); }

// The rows inference runs on, with their labels decoded once: inference is timed, not the
// harness's reading of one-hot targets (a few per cent of each side's time).
struct test_set {
    const rows_type& rows;
    std::vector<std::size_t> labels;
    explicit test_set(const rows_type& r) : rows(r) {
        for (const sample& s : rows) labels.push_back(argmax(s.y));
    }
};

// The visiting order of one epoch, for the two baselines: a user's usual shuffle.
struct shuffler {
    std::vector<std::uint32_t> order;
    std::mt19937 engine;
    explicit shuffler(std::size_t n) : order(n), engine(shuffle_seed) { std::iota(order.begin(), order.end(), 0u); }
    const std::vector<std::uint32_t>& next() {
        std::shuffle(order.begin(), order.end(), engine);
        return order;
    }
};

// ------------------------------------------------------------------ kiln
using kiln_net = kiln::network<float, kiln::dense<n_in, n_hidden, kiln::sigmoid>, kiln::dense<n_hidden, n_out, kiln::softmax>>;
using kiln_view = kiln::dataset_view<float, n_in, n_out>;

template <class Opt>
bool kiln_train(kiln_net& k, kiln_view data, const Opt& opt, std::size_t epochs, std::size_t batch_size) {
    const auto r = kiln::fit(k, data, kiln::softmax_cross_entropy{}, opt,
                             {.epochs = epochs, .batch_size = batch_size, .shuffle = true, .seed = kiln::seed{shuffle_seed}});
    return bool(r);
}
[[gnu::noinline]] bool kiln_sgd(kiln_net& k, kiln_view data, std::size_t epochs, std::size_t batch_size) {
    return kiln_train(k, data, kiln::sgd{.learning_rate = sgd_rate}, epochs, batch_size);
}
[[gnu::noinline]] bool kiln_adam(kiln_net& k, kiln_view data, std::size_t epochs) {
    return kiln_train(k, data,
                      kiln::adam{.learning_rate = adam_rate, .beta1 = adam_beta1, .beta2 = adam_beta2, .epsilon = adam_epsilon},
                      epochs, batch);
}
[[gnu::noinline]] std::size_t kiln_infer(const kiln_net& k, const test_set& test, std::size_t passes) {
    std::size_t correct = 0;
    float a[n_out];
    for (std::size_t p = 0; p < passes; ++p)
        for (std::size_t r = 0; r < test.rows.size(); ++r) k.predict(test.rows[r].x, a), correct += argmax(a) == test.labels[r];
    return correct;
}

// ------------------------------------------------------------------ plain loop
namespace plain {

struct net {
    float w1[n_in][n_hidden];  // input-major: w1[i][h] connects input i to hidden unit h
    float b1[n_hidden];
    float w2[n_hidden][n_out];
    float b2[n_out];
};

net from_kiln(const kiln_net& k) {
    net n{};
    for (std::size_t i = 0; i < n_in; ++i)
        for (std::size_t h = 0; h < n_hidden; ++h) n.w1[i][h] = k.layer<0>().weight(h, i);
    for (std::size_t h = 0; h < n_hidden; ++h) n.b1[h] = k.layer<0>().bias(h);
    for (std::size_t h = 0; h < n_hidden; ++h)
        for (std::size_t o = 0; o < n_out; ++o) n.w2[h][o] = k.layer<1>().weight(o, h);
    for (std::size_t o = 0; o < n_out; ++o) n.b2[o] = k.layer<1>().bias(o);
    return n;
}

void forward(const net& n, const float* x, float* hid, float* out) {
    float z[n_hidden];
    for (std::size_t h = 0; h < n_hidden; ++h) z[h] = n.b1[h];
    for (std::size_t i = 0; i < n_in; ++i)
        for (std::size_t h = 0; h < n_hidden; ++h) z[h] += n.w1[i][h] * x[i];
    for (std::size_t h = 0; h < n_hidden; ++h) hid[h] = 1.0f / (1.0f + std::exp(-z[h]));

    float z2[n_out];
    for (std::size_t o = 0; o < n_out; ++o) z2[o] = n.b2[o];
    for (std::size_t h = 0; h < n_hidden; ++h)
        for (std::size_t o = 0; o < n_out; ++o) z2[o] += n.w2[h][o] * hid[h];
    float max = z2[0];
    for (std::size_t o = 1; o < n_out; ++o) max = std::max(max, z2[o]);
    float sum = 0;
    for (std::size_t o = 0; o < n_out; ++o) sum += out[o] = std::exp(z2[o] - max);
    for (std::size_t o = 0; o < n_out; ++o) out[o] /= sum;
}

// dL/dz of both layers for one row: a - y at the softmax output, then back through w2.
void deltas(const net& n, const sample& s, const float* hid, const float* out, float* d1, float* d2) {
    for (std::size_t o = 0; o < n_out; ++o) d2[o] = out[o] - s.y[o];
    for (std::size_t h = 0; h < n_hidden; ++h) {
        float g = 0;
        for (std::size_t o = 0; o < n_out; ++o) g += n.w2[h][o] * d2[o];
        d1[h] = g * hid[h] * (1.0f - hid[h]);
    }
}

// Online SGD: forward, deltas, update, row by row.
[[gnu::noinline]] void sgd_online(net& n, const rows_type& rows, std::size_t epochs) {
    shuffler order(rows.size());
    float hid[n_hidden], out[n_out], d1[n_hidden], d2[n_out];
    for (std::size_t e = 0; e < epochs; ++e)
        for (std::uint32_t r : order.next()) {
            const sample& s = rows[r];
            forward(n, s.x, hid, out);
            deltas(n, s, hid, out, d1, d2);
            for (std::size_t h = 0; h < n_hidden; ++h)
                for (std::size_t o = 0; o < n_out; ++o) n.w2[h][o] -= sgd_rate * hid[h] * d2[o];
            for (std::size_t o = 0; o < n_out; ++o) n.b2[o] -= sgd_rate * d2[o];
            for (std::size_t i = 0; i < n_in; ++i)
                for (std::size_t h = 0; h < n_hidden; ++h) n.w1[i][h] -= sgd_rate * s.x[i] * d1[h];
            for (std::size_t h = 0; h < n_hidden; ++h) n.b1[h] -= sgd_rate * d1[h];
        }
}

// Mini-batches: the gradients summed over the batch's rows, then one update with the mean.
template <class Update>
void batches(net& n, const rows_type& rows, std::size_t epochs, Update& update) {
    shuffler order(rows.size());
    net g;
    float hid[n_hidden], out[n_out], d1[n_hidden], d2[n_out];
    for (std::size_t e = 0; e < epochs; ++e) {
        const std::vector<std::uint32_t>& idx = order.next();
        for (std::size_t start = 0; start < rows.size(); start += batch) {
            const std::size_t end = std::min(start + batch, rows.size());
            g = net{};
            for (std::size_t r = start; r < end; ++r) {
                const sample& s = rows[idx[r]];
                forward(n, s.x, hid, out);
                deltas(n, s, hid, out, d1, d2);
                for (std::size_t h = 0; h < n_hidden; ++h)
                    for (std::size_t o = 0; o < n_out; ++o) g.w2[h][o] += hid[h] * d2[o];
                for (std::size_t o = 0; o < n_out; ++o) g.b2[o] += d2[o];
                for (std::size_t i = 0; i < n_in; ++i)
                    for (std::size_t h = 0; h < n_hidden; ++h) g.w1[i][h] += s.x[i] * d1[h];
                for (std::size_t h = 0; h < n_hidden; ++h) g.b1[h] += d1[h];
            }
            update(n, g, 1.0f / float(end - start));
        }
    }
}

struct sgd_update {
    static void step(float* p, const float* g, std::size_t count, float rate) {
        for (std::size_t k = 0; k < count; ++k) p[k] -= rate * g[k];
    }
    void operator()(net& n, const net& g, float scale) const {
        const float rate = sgd_rate * scale;
        step(n.w1[0], g.w1[0], n_in * n_hidden, rate);
        step(n.b1, g.b1, n_hidden, rate);
        step(n.w2[0], g.w2[0], n_hidden * n_out, rate);
        step(n.b2, g.b2, n_out, rate);
    }
};

struct adam_update {
    net m{}, v{};
    float beta1_t = 1, beta2_t = 1;
    void step(float* p, const float* g, float* m_, float* v_, std::size_t count, float scale) const {
        const float c1 = 1.0f - beta1_t, c2 = 1.0f - beta2_t;
        for (std::size_t k = 0; k < count; ++k) {
            const float gk = g[k] * scale;
            m_[k] = adam_beta1 * m_[k] + (1.0f - adam_beta1) * gk;
            v_[k] = adam_beta2 * v_[k] + (1.0f - adam_beta2) * gk * gk;
            p[k] -= adam_rate * (m_[k] / c1) / (std::sqrt(v_[k] / c2) + adam_epsilon);
        }
    }
    void operator()(net& n, const net& g, float scale) {
        beta1_t *= adam_beta1;
        beta2_t *= adam_beta2;
        step(n.w1[0], g.w1[0], m.w1[0], v.w1[0], n_in * n_hidden, scale);
        step(n.b1, g.b1, m.b1, v.b1, n_hidden, scale);
        step(n.w2[0], g.w2[0], m.w2[0], v.w2[0], n_hidden * n_out, scale);
        step(n.b2, g.b2, m.b2, v.b2, n_out, scale);
    }
};

[[gnu::noinline]] void sgd_batches(net& n, const rows_type& rows, std::size_t epochs) {
    sgd_update u;
    batches(n, rows, epochs, u);
}
[[gnu::noinline]] void adam_batches(net& n, const rows_type& rows, std::size_t epochs) {
    adam_update u;
    batches(n, rows, epochs, u);
}
[[gnu::noinline]] std::size_t infer(const net& n, const test_set& test, std::size_t passes) {
    std::size_t correct = 0;
    float hid[n_hidden], out[n_out];
    for (std::size_t p = 0; p < passes; ++p)
        for (std::size_t r = 0; r < test.rows.size(); ++r)
            forward(n, test.rows[r].x, hid, out), correct += argmax(out) == test.labels[r];
    return correct;
}

} // namespace plain

// ------------------------------------------------------------------ Eigen
#if KILN_BENCH_EIGEN
namespace eigen {

using Eigen::Matrix;
using vec_in = Matrix<float, n_in, 1>;
using vec_hidden = Matrix<float, n_hidden, 1>;
using vec_out = Matrix<float, n_out, 1>;
using in_map = Eigen::Map<const vec_in>;
using out_map = Eigen::Map<const vec_out>;
// A batch's rows as columns: fixed 32 columns for the full batches, at most 32 (Dynamic,
// on the stack) for the epoch's last, shorter one.
template <int Cols>
using cols_in = Matrix<float, n_in, Cols, Eigen::ColMajor, n_in, batch>;
template <int Cols>
using cols_hidden = Matrix<float, n_hidden, Cols, Eigen::ColMajor, n_hidden, batch>;
template <int Cols>
using cols_out = Matrix<float, n_out, Cols, Eigen::ColMajor, n_out, batch>;
template <int Cols>
using row_of = Matrix<float, 1, Cols, Eigen::RowMajor, 1, batch>;

struct net {
    Matrix<float, n_hidden, n_in> w1;
    vec_hidden b1;
    Matrix<float, n_out, n_hidden> w2;
    vec_out b2;
};

net zeros() {
    net n;
    n.w1.setZero();
    n.b1.setZero();
    n.w2.setZero();
    n.b2.setZero();
    return n;
}

net from_kiln(const kiln_net& k) {
    net n;
    for (std::size_t h = 0; h < n_hidden; ++h) {
        for (std::size_t i = 0; i < n_in; ++i) n.w1(h, i) = k.layer<0>().weight(h, i);
        n.b1(h) = k.layer<0>().bias(h);
    }
    for (std::size_t o = 0; o < n_out; ++o) {
        for (std::size_t h = 0; h < n_hidden; ++h) n.w2(o, h) = k.layer<1>().weight(o, h);
        n.b2(o) = k.layer<1>().bias(o);
    }
    return n;
}

void forward(const net& n, const in_map& x, vec_hidden& hid, vec_out& out) {
    hid = (1.0f + (-(n.w1 * x + n.b1)).array().exp()).inverse().matrix();
    const vec_out z = n.w2 * hid + n.b2;
    out = (z.array() - z.maxCoeff()).exp().matrix();
    out /= out.sum();
}

[[gnu::noinline]] void sgd_online(net& n, const rows_type& rows, std::size_t epochs) {
    shuffler order(rows.size());
    vec_hidden hid;
    vec_out out;
    for (std::size_t e = 0; e < epochs; ++e)
        for (std::uint32_t r : order.next()) {
            const in_map x(rows[r].x);
            forward(n, x, hid, out);
            const vec_out d2 = out - out_map(rows[r].y);
            const vec_hidden d1 = ((n.w2.transpose() * d2).array() * hid.array() * (1.0f - hid.array())).matrix();
            n.w2.noalias() -= sgd_rate * d2 * hid.transpose();
            n.b2 -= sgd_rate * d2;
            n.w1.noalias() -= sgd_rate * d1 * x.transpose();
            n.b1 -= sgd_rate * d1;
        }
}

// The mean gradient of the rows idx[start, start + cols) into g.
template <int Cols>
void batch_gradient(const net& n, const rows_type& rows, const std::uint32_t* idx, Eigen::Index cols, net& g) {
    cols_in<Cols> x(Eigen::Index(n_in), cols);
    cols_out<Cols> y(Eigen::Index(n_out), cols);
    for (Eigen::Index c = 0; c < cols; ++c) {
        x.col(c) = in_map(rows[idx[c]].x);
        y.col(c) = out_map(rows[idx[c]].y);
    }
    cols_hidden<Cols> hid(Eigen::Index(n_hidden), cols);
    hid.noalias() = n.w1 * x;
    hid = (1.0f + (-(hid.colwise() + n.b1)).array().exp()).inverse().matrix();
    cols_out<Cols> out(Eigen::Index(n_out), cols);
    out.noalias() = n.w2 * hid;
    out.colwise() += n.b2;
    const row_of<Cols> max = out.colwise().maxCoeff();
    out = (out.rowwise() - max).array().exp().matrix();
    const row_of<Cols> sum = out.colwise().sum();
    out.array().rowwise() /= sum.array();

    const cols_out<Cols> d2 = (out - y) / float(cols);
    cols_hidden<Cols> d1(Eigen::Index(n_hidden), cols);
    d1.noalias() = n.w2.transpose() * d2;
    d1.array() *= hid.array() * (1.0f - hid.array());
    g.w2.noalias() = d2 * hid.transpose();
    g.b2 = d2.rowwise().sum();
    g.w1.noalias() = d1 * x.transpose();
    g.b1 = d1.rowwise().sum();
}

template <class Update>
void batches(net& n, const rows_type& rows, std::size_t epochs, Update& update) {
    shuffler order(rows.size());
    net g = zeros();
    for (std::size_t e = 0; e < epochs; ++e) {
        const std::vector<std::uint32_t>& idx = order.next();
        for (std::size_t start = 0; start < rows.size(); start += batch) {
            const std::size_t cols = std::min(batch, rows.size() - start);
            if (cols == batch) batch_gradient<int(batch)>(n, rows, idx.data() + start, Eigen::Index(cols), g);
            else batch_gradient<Eigen::Dynamic>(n, rows, idx.data() + start, Eigen::Index(cols), g);
            update(n, g);
        }
    }
}

struct sgd_update {
    void operator()(net& n, const net& g) const {
        n.w1 -= sgd_rate * g.w1;
        n.b1 -= sgd_rate * g.b1;
        n.w2 -= sgd_rate * g.w2;
        n.b2 -= sgd_rate * g.b2;
    }
};

struct adam_update {
    net m = zeros(), v = zeros();
    float beta1_t = 1, beta2_t = 1;
    template <class M>
    void step(M& p, const M& g, M& m_, M& v_) const {
        const float c1 = 1.0f - beta1_t, c2 = 1.0f - beta2_t;
        m_ = adam_beta1 * m_ + (1.0f - adam_beta1) * g;
        v_ = adam_beta2 * v_ + (1.0f - adam_beta2) * g.cwiseAbs2();
        p.array() -= adam_rate * (m_.array() / c1) / ((v_.array() / c2).sqrt() + adam_epsilon);
    }
    void operator()(net& n, const net& g) {
        beta1_t *= adam_beta1;
        beta2_t *= adam_beta2;
        step(n.w1, g.w1, m.w1, v.w1);
        step(n.b1, g.b1, m.b1, v.b1);
        step(n.w2, g.w2, m.w2, v.w2);
        step(n.b2, g.b2, m.b2, v.b2);
    }
};

[[gnu::noinline]] void sgd_batches(net& n, const rows_type& rows, std::size_t epochs) {
    sgd_update u;
    batches(n, rows, epochs, u);
}
[[gnu::noinline]] void adam_batches(net& n, const rows_type& rows, std::size_t epochs) {
    adam_update u;
    batches(n, rows, epochs, u);
}
[[gnu::noinline]] std::size_t infer(const net& n, const test_set& test, std::size_t passes) {
    std::size_t correct = 0;
    vec_hidden hid;
    vec_out out;
    for (std::size_t p = 0; p < passes; ++p)
        for (std::size_t r = 0; r < test.rows.size(); ++r) {
            forward(n, in_map(test.rows[r].x), hid, out);
            Eigen::Index best;
            out.maxCoeff(&best);
            correct += std::size_t(best) == test.labels[r];
        }
    return correct;
}

} // namespace eigen
#endif

// ------------------------------------------------------------------ the rows of the table
// Row r's training, per side (rows 0..2; row 3 is inference).
enum row_index { sgd_online_row, sgd_batch_row, adam_batch_row, inference_row, row_count };
constexpr std::size_t epochs_of[3] = {epochs_online, epochs_batched, epochs_batched};

bool train(int row, kiln_net& k, kiln_view data) {
    if (row == adam_batch_row) return kiln_adam(k, data, epochs_of[row]);
    return kiln_sgd(k, data, epochs_of[row], row == sgd_online_row ? 1 : batch);
}
void train(int row, plain::net& n, const rows_type& rows) {
    if (row == sgd_online_row) plain::sgd_online(n, rows, epochs_of[row]);
    else if (row == sgd_batch_row) plain::sgd_batches(n, rows, epochs_of[row]);
    else plain::adam_batches(n, rows, epochs_of[row]);
}
#if KILN_BENCH_EIGEN
void train(int row, eigen::net& n, const rows_type& rows) {
    if (row == sgd_online_row) eigen::sgd_online(n, rows, epochs_of[row]);
    else if (row == sgd_batch_row) eigen::sgd_batches(n, rows, epochs_of[row]);
    else eigen::adam_batches(n, rows, epochs_of[row]);
}
#endif

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

enum side { kiln_side, plain_side, eigen_side, side_count };
constexpr const char* side_name[side_count] = {"kiln", "plain", "Eigen"};

// One row of the table: each side's times over the repetitions and the test accuracy it
// reached (training rows: after the last repetition's training; inference: what the timed
// predictions got right).
struct measure {
    std::string name;
    double samples = 0;  // rows processed per timed call
    std::vector<double> time[side_count];
    double accuracy[side_count] = {-1, -1, -1};
    double rate(int s) const { return time[s].empty() ? 0 : samples / median(time[s]); }
};

} // namespace

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::atoi(argv[1]) : 5;
    const char* path = argc > 2 ? argv[2] : KILN_BENCH_DIGITS_CSV;
    if (reps < 1 || argc > 3) {
        std::fprintf(stderr, "usage: %s [repetitions >= 1, default 5] [digits.csv, default %s]\n", argv[0],
                     KILN_BENCH_DIGITS_CSV);
        return 2;
    }
    const auto all = kiln::io::read_csv<float, n_in, n_out>(path, {.label_column = 64, .scale = 1.0 / 16});
    if (!all) {
        std::fprintf(stderr, "%s\n", kiln::io::to_string(all.error()).c_str());
        return 2;
    }
    const auto split = kiln::io::split_every(*all, 5);
    const rows_type& train_rows = split.train;  // not a structured binding: Clang 14 cannot capture those
    const rows_type& test_rows = split.test;
    const test_set test{test_rows};
    const kiln_view train_view{train_rows};
    const kiln_net initial = kiln_net::initialized(kiln::xavier_uniform{}, kiln::seed{1});

    measure m[row_count];
    char name[64];
    std::snprintf(name, sizeof name, "SGD lr 0.1 batch 1, %zu epochs", epochs_online);
    m[sgd_online_row].name = name;
    std::snprintf(name, sizeof name, "SGD lr 0.1 batch %zu, %zu epochs", batch, epochs_batched);
    m[sgd_batch_row].name = name;
    std::snprintf(name, sizeof name, "Adam lr 1e-3 batch %zu, %zu epochs", batch, epochs_batched);
    m[adam_batch_row].name = name;
    std::snprintf(name, sizeof name, "inference, 1 row a call, %zu x %zu test rows", inference_passes, test_rows.size());
    m[inference_row].name = name;
    for (int r = 0; r < inference_row; ++r) m[r].samples = double(epochs_of[r] * train_rows.size());
    m[inference_row].samples = double(inference_passes * test_rows.size());

    bool fit_ok = true;  // kiln's fit reported neither divergence nor bad data
    kiln_net k;
    plain::net p;
#if KILN_BENCH_EIGEN
    eigen::net e;
#endif
    std::size_t correct[side_count] = {};
    for (int rep = 0; rep < reps; ++rep) {
        // Online SGD last, so that inference runs on the networks it leaves.
        for (int r : {sgd_batch_row, adam_batch_row, sgd_online_row}) {
            k = initial;
            m[r].time[kiln_side].push_back(seconds([&] { fit_ok = train(r, k, train_view) && fit_ok; }));
            m[r].accuracy[kiln_side] = double(kiln_infer(k, test, 1)) / double(test_rows.size());
            p = plain::from_kiln(initial);
            m[r].time[plain_side].push_back(seconds([&] { train(r, p, train_rows); }));
            m[r].accuracy[plain_side] = double(plain::infer(p, test, 1)) / double(test_rows.size());
#if KILN_BENCH_EIGEN
            e = eigen::from_kiln(initial);
            m[r].time[eigen_side].push_back(seconds([&] { train(r, e, train_rows); }));
            m[r].accuracy[eigen_side] = double(eigen::infer(e, test, 1)) / double(test_rows.size());
#endif
        }
        measure& inf = m[inference_row];
        inf.time[kiln_side].push_back(seconds([&] { correct[kiln_side] = kiln_infer(k, test, inference_passes); }));
        inf.time[plain_side].push_back(seconds([&] { correct[plain_side] = plain::infer(p, test, inference_passes); }));
#if KILN_BENCH_EIGEN
        inf.time[eigen_side].push_back(seconds([&] { correct[eigen_side] = eigen::infer(e, test, inference_passes); }));
#endif
    }
    for (int s = 0; s < side_count; ++s)
        if (!m[inference_row].time[s].empty()) m[inference_row].accuracy[s] = double(correct[s]) / m[inference_row].samples;

    char compiler[64];
#if defined(__clang__)
    std::snprintf(compiler, sizeof compiler, "clang %d.%d.%d", __clang_major__, __clang_minor__, __clang_patchlevel__);
#else
    std::snprintf(compiler, sizeof compiler, "gcc %s", __VERSION__);
#endif
    std::printf("digits (%s): %zu training, %zu test rows; 64-32-10 float, sigmoid, softmax + cross-entropy (mean)\n",
                path, train_rows.size(), test_rows.size());
#if KILN_BENCH_EIGEN
    std::printf("%s, %s, Eigen %d.%d.%d\n", compiler, KILN_BENCH_FLAGS, EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION,
                EIGEN_MINOR_VERSION);
#else
    std::printf("%s, %s; Eigen 3.4 was not found when configuring: its column is skipped\n", compiler, KILN_BENCH_FLAGS);
#endif
    std::printf("%d repetitions alternating kiln, plain%s, each from the same initial weights; medians\n\n", reps,
                KILN_BENCH_EIGEN ? ", Eigen" : "");
    std::printf("| measure | kiln samples/s | plain samples/s | Eigen samples/s | kiln / Eigen | kiln / plain | "
                "test accuracy kiln, plain, Eigen |\n|---|---|---|---|---|---|---|\n");
    bool learned = fit_ok;
    for (const measure& mm : m) {
        char eigen_rate[32] = "n/a", eigen_ratio[32] = "n/a", eigen_accuracy[32] = "n/a";
        if (!mm.time[eigen_side].empty()) {
            std::snprintf(eigen_rate, sizeof eigen_rate, "%.0f", mm.rate(eigen_side));
            std::snprintf(eigen_ratio, sizeof eigen_ratio, "%.2f", mm.rate(kiln_side) / mm.rate(eigen_side));
            std::snprintf(eigen_accuracy, sizeof eigen_accuracy, "%.3f", mm.accuracy[eigen_side]);
        }
        std::printf("| %s | %.0f | %.0f | %s | %s | %.2f | %.3f, %.3f, %s |\n", mm.name.c_str(), mm.rate(kiln_side),
                    mm.rate(plain_side), eigen_rate, eigen_ratio, mm.rate(kiln_side) / mm.rate(plain_side),
                    mm.accuracy[kiln_side], mm.accuracy[plain_side], eigen_accuracy);
    }
    for (const measure& mm : m)  // after the table, which stays one markdown block
        for (int s = 0; s < side_count; ++s)
            if (!mm.time[s].empty() && !(mm.accuracy[s] >= 0.8)) {
                std::printf("FAILED: %s reaches only %.3f test accuracy on \"%s\"\n", side_name[s], mm.accuracy[s],
                            mm.name.c_str());
                learned = false;
            }
    if (!fit_ok) std::printf("FAILED: kiln::fit reported divergence or bad data\n");
    return learned ? 0 : 1;
}
