// Tests for kiln/train.hpp: fit()'s options (epochs, batch size, shuffle and its seed,
// target loss), its callback, its statuses (completed, reached_target_loss,
// stopped_by_callback, diverged), float and double training, and training inside the
// compiler giving the very bits of the same training at run time.
#include "kiln_test.hpp"

#include <kiln/kiln.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace {

using xor_net = kiln::network<double, kiln::dense<2, 4, kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;
using xor_net_f = kiln::network<float, kiln::dense<2, 4, kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;

template <class T>
constexpr kiln::dataset<T, 4, 2, 1> xor_data{{{{0, 0}, {0}}, {{0, 1}, {1}}, {{1, 0}, {1}}, {{1, 1}, {0}}}};

/// XOR 2-4-1: tanh hidden, sigmoid output with (fused) binary cross-entropy, full-batch SGD.
template <class Net>
constexpr Net train_xor() {
    using T = typename Net::value_type;
    auto net = Net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    kiln::fit(net, xor_data<T>, kiln::binary_cross_entropy{}, kiln::sgd{.learning_rate = 0.5}, {.epochs = 300});
    return net;
}

/// The same with Adam, mini-batches of 3 rows (the last batch of each epoch has 1) and shuffling.
template <class Net>
constexpr Net train_xor_adam() {
    using T = typename Net::value_type;
    auto net = Net::initialized(kiln::he_uniform{}, kiln::seed{3});
    kiln::fit(net, xor_data<T>, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::adam{.learning_rate = 0.05},
              {.epochs = 150, .batch_size = 3, .shuffle = true, .seed = kiln::seed{99}});
    return net;
}

constexpr xor_net xor_trained = train_xor<xor_net>();
constexpr xor_net_f xor_trained_f = train_xor<xor_net_f>();
constexpr xor_net xor_adam = train_xor_adam<xor_net>();
constexpr xor_net_f xor_adam_f = train_xor_adam<xor_net_f>();

/// A network of one identity unit, w = 0 and b = 0, and rows x = 1, y = i + 1: with
/// squared error the bias gradient of row i is -(i + 1), so it names the row.
using probe_net = kiln::network<double, kiln::dense<1, 1, kiln::identity>>;
template <std::size_t N>
constexpr kiln::dataset<double, N, 1, 1> numbered_rows() {
    kiln::dataset<double, N, 1, 1> d{};
    for (std::size_t i = 0; i < N; ++i) d.rows[i] = {{1.0}, {double(i + 1)}};
    return d;
}

/// An optimizer that leaves the parameters alone and records, for each update of the
/// last layer, its bias gradient and scale (the rows of the batch and their count).
struct recorder {
    struct log {
        double bias_gradient[256];
        double scale[256];
        std::size_t updates = 0;
    };
    log* out;
    template <class P>
    struct state {};
    template <class P, class T = typename P::value_type>
    constexpr bool update(P&, P& g, state<P>&, T scale) const {
        if (out->updates < 256) out->bias_gradient[out->updates] = double(g.b[0]), out->scale[out->updates] = double(scale);
        ++out->updates;
        for (auto& x : g.w) x = T(0);
        g.b[0] = T(0);
        return true;
    }
};

/// The order in which a 1-row-batch epoch visited the rows, from the recorded gradients.
template <std::size_t N>
std::vector<std::size_t> visit_order(const kiln::fit_options& options) {
    probe_net net{};
    recorder::log log{};
    const auto data = numbered_rows<N>();
    kiln::fit(net, data, kiln::squared_error{.reduction = kiln::reduction::sum}, recorder{&log}, options);
    std::vector<std::size_t> order;
    for (std::size_t u = 0; u < log.updates; ++u) order.push_back(std::size_t(-log.bias_gradient[u]) - 1);
    return order;
}

template <class Net, class Data, class Loss>
double mean_loss(const Net& net, const Data& data, const Loss& loss) {
    double s = 0;
    for (const auto& row : data) {
        double a[1][Net::outputs]{}, y[1][Net::outputs]{};
        net.predict(row.x, a[0]);
        for (std::size_t o = 0; o < Net::outputs; ++o) y[0][o] = row.y[o];
        s += kiln::total_loss(loss, a, y, 1);
    }
    return s / double(Data::size());
}

} // namespace

TEST_CASE("XOR 2-4-1 trained inside the compiler classifies all four rows, float and double",
          "[train][constexpr]") {
    STATIC_REQUIRE(kiln::accuracy(xor_trained, xor_data<double>) == 1.0);
    STATIC_REQUIRE(kiln::accuracy(xor_trained_f, xor_data<float>) == 1.0);
    STATIC_REQUIRE(xor_trained.predict({1, 0})[0] > 0.9);
    STATIC_REQUIRE(xor_trained.predict({1, 1})[0] < 0.1);
    STATIC_REQUIRE(xor_trained_f.predict({0, 1})[0] > 0.9f);
    STATIC_REQUIRE(xor_trained_f.predict({0, 0})[0] < 0.1f);
    STATIC_REQUIRE(kiln::accuracy(xor_adam, xor_data<double>) == 1.0);
    STATIC_REQUIRE(kiln::accuracy(xor_adam_f, xor_data<float>) == 1.0);
}

TEST_CASE("training at run time gives the compiler's bits: SGD full batch, Adam mini-batch shuffled, float and double",
          "[train][constexpr]") {
    // Called through a volatile function pointer, so the optimiser cannot fold them.
    xor_net (*volatile sgd_d)() = train_xor<xor_net>;
    xor_net_f (*volatile sgd_f)() = train_xor<xor_net_f>;
    xor_net (*volatile adam_d)() = train_xor_adam<xor_net>;
    xor_net_f (*volatile adam_f)() = train_xor_adam<xor_net_f>;
    CHECK(sgd_d() == xor_trained);
    CHECK(sgd_f() == xor_trained_f);
    CHECK(adam_d() == xor_adam);
    CHECK(adam_f() == xor_adam_f);
    // ... and training did move the weights.
    CHECK(!(xor_trained == xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7})));
}

namespace {
std::size_t epochs_seen_at_run_time = 0;
}

TEST_CASE("a training whose seed comes through a volatile really runs at run time, with the compiler's bits",
          "[train][constexpr]") {
    // The callback writes a global, which no constant evaluation may do: had GCC moved this
    // training into the compiler, it could not have counted the epochs.
    volatile std::uint64_t seed = 7;
    auto net = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{seed});
    epochs_seen_at_run_time = 0;
    kiln::fit(net, xor_data<double>, kiln::binary_cross_entropy{}, kiln::sgd{.learning_rate = 0.5}, {.epochs = 300},
              [](const kiln::epoch_report<xor_net>&) { ++epochs_seen_at_run_time; });
    CHECK(epochs_seen_at_run_time == 300);
    CHECK(net == xor_trained);
}

TEST_CASE("batch_size: 1 is online, 0 or >= rows the full batch, between them mini-batches", "[train]") {
    const auto data = numbered_rows<10>();
    auto updates = [&](std::size_t batch, std::size_t epochs) {
        probe_net net{};
        recorder::log log{};
        kiln::fit(net, data, kiln::squared_error{.reduction = kiln::reduction::mean}, recorder{&log},
                  {.epochs = epochs, .batch_size = batch});
        return log;
    };
    CHECK(updates(1, 1).updates == 10);
    CHECK(updates(0, 1).updates == 1);
    CHECK(updates(10, 1).updates == 1);
    CHECK(updates(25, 1).updates == 1);
    CHECK(updates(4, 1).updates == 3);  // 4 + 4 + 2
    CHECK(updates(3, 2).updates == 8);  // (3 + 3 + 3 + 1) per epoch
    // A mean reduction scales each batch by 1 / its size, the short last one included;
    // each batch's gradient is the sum over its rows of 2 (a - y) / W = -2 y.
    const recorder::log mini = updates(4, 1);
    CHECK(mini.scale[0] == 0.25);
    CHECK(mini.scale[2] == 0.5);
    CHECK(mini.bias_gradient[0] == -2 * (1.0 + 2 + 3 + 4));
    CHECK(mini.bias_gradient[2] == -2 * (9.0 + 10));
    const recorder::log full = updates(0, 1);
    CHECK(full.bias_gradient[0] == -2 * 55.0);
    CHECK(full.scale[0] == 0.1);
    probe_net net{};
    recorder::log log{};
    kiln::fit(net, data, kiln::squared_error{.reduction = kiln::reduction::sum}, recorder{&log}, {.batch_size = 4});
    CHECK(log.scale[0] == 1.0);  // a summed loss is not scaled
}

TEST_CASE("shuffle=false visits rows in order, and shuffle visits each once per epoch in a seeded order", "[train]") {
    std::vector<std::size_t> in_order(30);
    for (std::size_t i = 0; i < 30; ++i) in_order[i] = i % 10;
    CHECK(visit_order<10>({.epochs = 3, .batch_size = 1}) == in_order);

    const auto a = visit_order<10>({.epochs = 3, .batch_size = 1, .shuffle = true, .seed = kiln::seed{5}});
    const auto b = visit_order<10>({.epochs = 3, .batch_size = 1, .shuffle = true, .seed = kiln::seed{5}});
    const auto c = visit_order<10>({.epochs = 3, .batch_size = 1, .shuffle = true, .seed = kiln::seed{6}});
    REQUIRE(a.size() == 30);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(a != in_order);
    for (std::size_t e = 0; e < 3; ++e) {
        std::vector<int> seen(10, 0);
        for (std::size_t i = 0; i < 10; ++i) ++seen[a[e * 10 + i]];
        CHECK(seen == std::vector<int>(10, 1));
    }
    // A new order each epoch.
    CHECK(std::vector<std::size_t>(a.begin(), a.begin() + 10) != std::vector<std::size_t>(a.begin() + 10, a.begin() + 20));
}

TEST_CASE("the shuffle seed changes the trained weights, and the same seed repeats them", "[train]") {
    auto run = [](unsigned long long s) {
        auto net = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{1});
        kiln::fit(net, xor_data<double>, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 0.1},
                  {.epochs = 20, .batch_size = 1, .shuffle = true, .seed = kiln::seed{s}});
        return net;
    };
    CHECK(run(1) == run(1));
    CHECK(!(run(1) == run(2)));
}

TEST_CASE("the callback sees every epoch, counted from 1, with the epoch's mean loss and accuracy", "[train]") {
    auto net = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    const xor_net before = net;
    std::vector<std::size_t> epochs;
    std::vector<double> losses, accuracies;
    const auto r = kiln::fit(net, xor_data<double>, kiln::binary_cross_entropy{}, kiln::sgd{.learning_rate = 0.5},
                             {.epochs = 300}, [&](const kiln::epoch_report<xor_net>& e) {
                                 epochs.push_back(e.epoch);
                                 losses.push_back(e.loss);
                                 accuracies.push_back(e.accuracy);
                             });
    REQUIRE(epochs.size() == 300);
    CHECK(epochs.front() == 1);
    CHECK(epochs.back() == 300);
    CHECK(r.status == kiln::fit_status::completed);
    CHECK(r.epochs == 300);
    CHECK(r.loss == losses.back());
    // Full batch: epoch 1's loss is the initial network's mean loss, measured in the forward pass.
    CHECK(losses.front() == Approx(mean_loss(before, xor_data<double>, kiln::binary_cross_entropy{})).epsilon(1e-12));
    CHECK(losses.back() < losses.front());
    CHECK(accuracies.back() == 1.0);
    CHECK(net == xor_trained);  // a callback does not change the training
}

TEST_CASE("a callback returning false stops training after that epoch", "[train]") {
    auto net = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    std::size_t calls = 0;
    const auto r = kiln::fit(net, xor_data<double>, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 0.5},
                             {.epochs = 100}, [&](const kiln::epoch_report<xor_net>& e) {
                                 ++calls;
                                 return e.epoch < 7;
                             });
    CHECK(r.status == kiln::fit_status::stopped_by_callback);
    CHECK(r.epochs == 7);
    CHECK(calls == 7);
    CHECK(static_cast<bool>(r));
    auto seven = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    kiln::fit(seven, xor_data<double>, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 0.5}, {.epochs = 7});
    CHECK(net == seven);
}

TEST_CASE("target_loss stops after the first epoch whose mean loss reaches it", "[train]") {
    auto net = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    const auto r = kiln::fit(net, xor_data<double>, kiln::binary_cross_entropy{}, kiln::sgd{.learning_rate = 0.5},
                             {.epochs = 5000, .target_loss = 0.1});
    CHECK(r.status == kiln::fit_status::reached_target_loss);
    CHECK(r.epochs < 5000);
    CHECK(r.loss <= 0.1);
    // One epoch fewer had not reached it.
    auto again = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    const auto s = kiln::fit(again, xor_data<double>, kiln::binary_cross_entropy{}, kiln::sgd{.learning_rate = 0.5},
                             {.epochs = r.epochs - 1, .target_loss = 0.1});
    CHECK(s.status == kiln::fit_status::completed);
    CHECK(s.loss > 0.1);
    // Without a callback or a target, the last epoch's loss is still reported: the same figure a
    // callback would have seen.
    auto plain = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    auto watched = plain;
    double seen = -1;
    const auto unwatched_result = kiln::fit(plain, xor_data<double>, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{}, {.epochs = 2});
    kiln::fit(watched, xor_data<double>, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{}, {.epochs = 2},
              [&](const kiln::epoch_report<xor_net>& e) { seen = e.loss; });
    CHECK(unwatched_result.loss == seen);
    CHECK(seen > 0);

    constexpr auto at_compile_time = [] {
        auto n = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
        return kiln::fit(n, xor_data<double>, kiln::binary_cross_entropy{}, kiln::sgd{.learning_rate = 0.5},
                         {.epochs = 5000, .target_loss = 0.1});
    }();
    STATIC_REQUIRE(at_compile_time.status == kiln::fit_status::reached_target_loss);
    CHECK(at_compile_time.epochs == r.epochs);
}

TEST_CASE("a diverging run returns fit_status::diverged at run time instead of crashing", "[train]") {
    // Linear regression with a step far beyond 2 / (largest curvature): each epoch
    // multiplies the error, until the weights overflow. (A saturating network would not
    // diverge: its gradients vanish instead.)
    using linear = kiln::network<double, kiln::dense<2, 1, kiln::identity>>;
    auto net = linear::initialized(kiln::uniform{}, kiln::seed{7});
    const auto r = kiln::fit(net, xor_data<double>, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 100},
                             {.epochs = 1000});
    CHECK(r.status == kiln::fit_status::diverged);
    CHECK(!static_cast<bool>(r));
    CHECK(r.epochs < 1000);
    CHECK(r.epochs > 10);

    auto poisoned = xor_data<double>;
    poisoned.rows[2].x[1] = std::numeric_limits<double>::quiet_NaN();
    auto n2 = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    const auto r2 = kiln::fit(n2, poisoned, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 0.1}, {.epochs = 10});
    // fit() checks the data before it trains: bad data is reported as such, with its row,
    // and the network is left untouched.
    CHECK(r2.status == kiln::fit_status::bad_data);
    CHECK(!static_cast<bool>(r2));
    CHECK(r2.bad_row == 2);
    CHECK(r2.epochs == 0);
    CHECK(n2 == xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7}));

    using linear_f = kiln::network<float, kiln::dense<2, 1, kiln::identity>>;
    auto f = linear_f::initialized(kiln::uniform{}, kiln::seed{7});
    const auto r3 = kiln::fit(f, xor_data<float>, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{.learning_rate = 100},
                              {.epochs = 1000});
    CHECK(r3.status == kiln::fit_status::diverged);
    CHECK(r3.epochs < r.epochs);  // float overflows sooner
}

TEST_CASE("fit() takes run-time data through a view, with the same result as the dataset", "[train]") {
    const std::vector<kiln::sample<double, 2, 1>> rows(xor_data<double>.begin(), xor_data<double>.end());
    auto net = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    kiln::fit(net, kiln::dataset_view<double, 2, 1>{rows}, kiln::binary_cross_entropy{},
              kiln::sgd{.learning_rate = 0.5}, {.epochs = 300});
    CHECK(net == xor_trained);
    // No rows at all is an error, not a training that completed.
    auto untouched = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7});
    const auto r = kiln::fit(untouched, kiln::dataset_view<double, 2, 1>{}, kiln::squared_error{.reduction = kiln::reduction::sum}, kiln::sgd{});
    CHECK(r.status == kiln::fit_status::no_data);
    CHECK(!static_cast<bool>(r));
    CHECK(r.epochs == 0);
    CHECK(untouched == xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{7}));
}
