// Tests for the training paths of kiln/train.hpp and kiln/layer.hpp that the small examples
// never reach, each against an independent reference written here the plainest way (plain
// loops, std::tanh, output-major weights): layers wider than the unrolled kernels (70 inputs,
// beyond the fold limit of the tile load too), batches larger than one tile of 32 rows, SGD
// with momentum and with Nesterov, Adam, and shuffled batches. The reference sums in its own
// order, so the two agree to rounding, not bit for bit.
#include "kiln_test.hpp"

#include <kiln/kiln.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

constexpr std::size_t n_in = 70, n_hidden = 20, n_out = 3, n_rows = 75;
using wide_net = kiln::network<double, kiln::dense<n_in, n_hidden, kiln::tanh>, kiln::dense<n_hidden, n_out, kiln::identity>>;
using sample = kiln::sample<double, n_in, n_out>;

std::vector<sample> make_rows() {
    std::vector<sample> rows(n_rows);
    std::uint64_t s = 12345;
    const auto next = [&s] {  // splitmix64 to a double in [-1, 1)
        std::uint64_t z = (s += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        return double((z ^ (z >> 31)) >> 11) * 0x1p-52 - 1.0;
    };
    for (auto& r : rows) {
        for (double& x : r.x) x = next();
        for (double& y : r.y) y = next();
    }
    return rows;
}

enum class method { sgd, momentum, nesterov, adam };

/// The reference: a 70-20-3 tanh/identity network, squared error summed over outputs,
/// weights w[o][i], trained on batches in the order given.
struct reference {
    double w1[n_hidden][n_in], b1[n_hidden], w2[n_out][n_hidden], b2[n_out];
    double g1[n_hidden][n_in], gb1[n_hidden], g2[n_out][n_hidden], gb2[n_out];
    double m1[n_hidden][n_in], mb1[n_hidden], m2[n_out][n_hidden], mb2[n_out];  // velocity or Adam's m
    double v1[n_hidden][n_in], vb1[n_hidden], v2[n_out][n_hidden], vb2[n_out];  // Adam's v
    double beta1_t = 1, beta2_t = 1;

    explicit reference(const wide_net& k) : g1{}, gb1{}, g2{}, gb2{}, m1{}, mb1{}, m2{}, mb2{}, v1{}, vb1{}, v2{}, vb2{} {
        for (std::size_t j = 0; j < n_hidden; ++j) {
            for (std::size_t i = 0; i < n_in; ++i) w1[j][i] = k.layer<0>().weight(j, i);
            b1[j] = k.layer<0>().bias(j);
        }
        for (std::size_t o = 0; o < n_out; ++o) {
            for (std::size_t j = 0; j < n_hidden; ++j) w2[o][j] = k.layer<1>().weight(o, j);
            b2[o] = k.layer<1>().bias(o);
        }
    }

    void add_gradient(const sample& s) {
        double h[n_hidden], a[n_out], d2[n_out], d1[n_hidden];
        for (std::size_t j = 0; j < n_hidden; ++j) {
            double z = b1[j];
            for (std::size_t i = 0; i < n_in; ++i) z += w1[j][i] * s.x[i];
            h[j] = std::tanh(z);
        }
        for (std::size_t o = 0; o < n_out; ++o) {
            double z = b2[o];
            for (std::size_t j = 0; j < n_hidden; ++j) z += w2[o][j] * h[j];
            a[o] = z;
            d2[o] = a[o] - s.y[o];
        }
        for (std::size_t j = 0; j < n_hidden; ++j) {
            double back = 0;
            for (std::size_t o = 0; o < n_out; ++o) back += w2[o][j] * d2[o];
            d1[j] = back * (1 - h[j] * h[j]);
        }
        for (std::size_t o = 0; o < n_out; ++o) {
            for (std::size_t j = 0; j < n_hidden; ++j) g2[o][j] += d2[o] * h[j];
            gb2[o] += d2[o];
        }
        for (std::size_t j = 0; j < n_hidden; ++j) {
            for (std::size_t i = 0; i < n_in; ++i) g1[j][i] += d1[j] * s.x[i];
            gb1[j] += d1[j];
        }
    }

    static void step(method m, double lr, double& p, double& g, double& a, double& b, double b1t, double b2t) {
        const double mu = 0.9;
        switch (m) {
        case method::sgd: p -= lr * g; break;
        case method::momentum: a = mu * a - lr * g, p += a; break;
        case method::nesterov: a = mu * a - lr * g, p += mu * a - lr * g; break;
        case method::adam:
            a = 0.9 * a + 0.1 * g;
            b = 0.999 * b + 0.001 * g * g;
            p -= lr * (a / (1 - b1t)) / (std::sqrt(b / (1 - b2t)) + 1e-7);
            break;
        }
        g = 0;
    }

    void update(method m, double lr) {
        beta1_t *= 0.9, beta2_t *= 0.999;
        for (std::size_t j = 0; j < n_hidden; ++j) {
            for (std::size_t i = 0; i < n_in; ++i) step(m, lr, w1[j][i], g1[j][i], m1[j][i], v1[j][i], beta1_t, beta2_t);
            step(m, lr, b1[j], gb1[j], mb1[j], vb1[j], beta1_t, beta2_t);
        }
        for (std::size_t o = 0; o < n_out; ++o) {
            for (std::size_t j = 0; j < n_hidden; ++j) step(m, lr, w2[o][j], g2[o][j], m2[o][j], v2[o][j], beta1_t, beta2_t);
            step(m, lr, b2[o], gb2[o], mb2[o], vb2[o], beta1_t, beta2_t);
        }
    }

    /// One epoch visiting rows order[0], order[1], ... in batches of `batch`.
    void epoch(const std::vector<sample>& rows, const std::vector<std::size_t>& order, std::size_t batch, method m,
               double lr) {
        for (std::size_t start = 0; start < order.size(); start += batch) {
            for (std::size_t k = start; k < start + batch && k < order.size(); ++k) add_gradient(rows[order[k]]);
            update(m, lr);
        }
    }

    /// The largest difference from the kiln network's parameters.
    double distance(const wide_net& k) const {
        double d = 0;
        const auto see = [&d](double a, double b) { d = std::fmax(d, std::fabs(a - b)); };
        for (std::size_t j = 0; j < n_hidden; ++j) {
            for (std::size_t i = 0; i < n_in; ++i) see(w1[j][i], k.layer<0>().weight(j, i));
            see(b1[j], k.layer<0>().bias(j));
        }
        for (std::size_t o = 0; o < n_out; ++o) {
            for (std::size_t j = 0; j < n_hidden; ++j) see(w2[o][j], k.layer<1>().weight(o, j));
            see(b2[o], k.layer<1>().bias(o));
        }
        return d;
    }
};

struct run {
    method how;
    std::size_t batch;
    bool shuffle;
    std::size_t epochs;
    double learning_rate;
};

/// Trains the same start both ways and returns the largest parameter difference, and how
/// far training moved the parameters (so a run that moved nothing cannot pass).
std::pair<double, double> compare(const run& r) {
    const std::vector<sample> rows = make_rows();
    const wide_net start = wide_net::initialized(kiln::xavier_uniform{}, kiln::seed{4});
    wide_net net = start;
    const kiln::fit_options options{.epochs = r.epochs, .batch_size = r.batch, .shuffle = r.shuffle, .seed = kiln::seed{11}};
    const auto loss = kiln::squared_error{.reduction = kiln::reduction::sum};
    kiln::fit_result<double> result{};
    switch (r.how) {
    case method::sgd: result = kiln::fit(net, rows, loss, kiln::sgd{.learning_rate = r.learning_rate}, options); break;
    case method::momentum:
        result = kiln::fit(net, rows, loss, kiln::sgd{.learning_rate = r.learning_rate, .momentum = 0.9}, options);
        break;
    case method::nesterov:
        result = kiln::fit(net, rows, loss, kiln::sgd{.learning_rate = r.learning_rate, .momentum = 0.9, .nesterov = true},
                           options);
        break;
    case method::adam: result = kiln::fit(net, rows, loss, kiln::adam{.learning_rate = r.learning_rate}, options); break;
    }
    REQUIRE(result.status == kiln::fit_status::completed);

    reference ref{start};
    kiln::pcg32 order_engine{options.seed};
    for (std::size_t e = 0; e < r.epochs; ++e) {
        std::vector<std::size_t> order(n_rows);
        for (std::size_t i = 0; i < n_rows; ++i) order[i] = i;
        if (r.shuffle) {  // the visiting order is kiln's own (tested on its own in train_test.cpp)
            const auto p = kiln::detail::make_permutation(n_rows, order_engine);
            for (std::size_t i = 0; i < n_rows; ++i) order[i] = std::size_t(p(i));
        }
        ref.epoch(rows, order, r.batch == 0 ? n_rows : r.batch, r.how, r.learning_rate);
    }
    reference unmoved{start};
    return {ref.distance(net), unmoved.distance(net)};
}

} // namespace

TEST_CASE("wide layers, online SGD: each row's update matches the reference", "[train][paths]") {
    const auto [d, moved] = compare({method::sgd, 1, false, 2, 0.01});
    CHECK(d < 1e-12);
    CHECK(moved > 1e-3);
}

TEST_CASE("plain SGD on batches of 40 rows, more than one tile, shuffled", "[train][paths]") {
    const auto [d, moved] = compare({method::sgd, 40, true, 3, 0.005});
    CHECK(d < 1e-12);
    CHECK(moved > 1e-3);
}

TEST_CASE("SGD with momentum on the full batch of 75 rows, three tiles", "[train][paths]") {
    const auto [d, moved] = compare({method::momentum, 0, false, 4, 0.002});
    CHECK(d < 1e-12);
    CHECK(moved > 1e-3);
}

TEST_CASE("SGD with Nesterov momentum on shuffled batches of 8 rows", "[train][paths]") {
    const auto [d, moved] = compare({method::nesterov, 8, true, 3, 0.005});
    CHECK(d < 1e-12);
    CHECK(moved > 1e-3);
}

TEST_CASE("Adam online and on shuffled batches of 40 rows", "[train][paths]") {
    const auto [d1, moved1] = compare({method::adam, 1, false, 1, 0.001});
    CHECK(d1 < 1e-10);
    CHECK(moved1 > 1e-3);
    const auto [d40, moved40] = compare({method::adam, 40, true, 3, 0.001});
    CHECK(d40 < 1e-10);
    CHECK(moved40 > 1e-3);
}
