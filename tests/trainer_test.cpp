// Tests for kiln::trainer (kiln/train.hpp): training that can be resumed exactly. N epochs in
// one fit() call and the same N over several calls hold the same bits for every optimizer with
// shuffling, at run time and inside the compiler (each stage its own constant evaluation); a
// network far larger than the compiler could train (784-128-10) trains at run time with its
// trainer kept off the stack.
#include "kiln_test.hpp"

#include <kiln/kiln.hpp>

#include <pthread.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace {

using xor_net = kiln::network<double, kiln::dense<2, 4, kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;
using xor_net_f = kiln::network<float, kiln::dense<2, 4, kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;

template <class T>
constexpr kiln::dataset<T, 4, 2, 1> xor_data{{{{0, 0}, {0}}, {{0, 1}, {1}}, {{1, 0}, {1}}, {{1, 1}, {0}}}};

constexpr kiln::fit_options shuffled(std::size_t epochs) {
    return {.epochs = epochs, .batch_size = 3, .shuffle = true, .seed = kiln::seed{21}};
}

/// N epochs in one call, and the same N as calls of `parts` epochs each, from the same start.
template <class Net, class Opt>
bool resumes_exactly(const Opt& optimizer, std::size_t n, std::initializer_list<std::size_t> parts) {
    using T = typename Net::value_type;
    volatile std::uint64_t seed = 5;  // run time, not folded into a second compile-time result
    const Net start = Net::initialized(kiln::xavier_uniform{}, kiln::seed{seed});
    Net once = start;
    kiln::trainer<Net, kiln::squared_error, Opt> a{kiln::squared_error{}, optimizer};
    a.fit(once, xor_data<T>, shuffled(n));
    Net in_parts = start;
    kiln::trainer<Net, kiln::squared_error, Opt> b{kiln::squared_error{}, optimizer};
    std::size_t done = 0;
    for (std::size_t p : parts) {
        b.fit(in_parts, xor_data<T>, shuffled(p));
        done += p;
    }
    return done == n && a.epochs() == n && b.epochs() == n && once == in_parts && !(once == start);
}

// Inside the compiler: a network and its trainer as one stage value; each stage below is its
// own constexpr variable, so its own evaluation.
struct stage {
    xor_net net;
    kiln::trainer<xor_net, kiln::squared_error, kiln::adam> trainer;
};
constexpr stage start_stage() {
    return {xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{5}), {kiln::squared_error{}, kiln::adam{.learning_rate = 0.05}}};
}
constexpr stage advanced(stage s, std::size_t epochs) {
    s.trainer.fit(s.net, xor_data<double>, shuffled(epochs));
    return s;
}
constexpr stage stage0 = start_stage();
constexpr stage stage1 = advanced(stage0, 40);
constexpr stage stage2 = advanced(stage1, 25);
constexpr stage stage3 = advanced(stage2, 35);
constexpr stage in_one_go = advanced(stage0, 100);

} // namespace

TEST_CASE("N epochs in one fit() call and in several give the same bits, every optimizer, shuffled", "[trainer]") {
    CHECK(resumes_exactly<xor_net>(kiln::sgd{.learning_rate = 0.3}, 12, {5, 4, 3}));
    CHECK(resumes_exactly<xor_net>(kiln::sgd{.learning_rate = 0.1, .momentum = 0.9}, 12, {1, 10, 1}));
    CHECK(resumes_exactly<xor_net>(kiln::sgd{.learning_rate = 0.1, .momentum = 0.9, .nesterov = true}, 12, {6, 6}));
    CHECK(resumes_exactly<xor_net>(kiln::adam{.learning_rate = 0.05}, 12, {3, 3, 3, 3}));
    CHECK(resumes_exactly<xor_net_f>(kiln::adam{.learning_rate = 0.05}, 12, {7, 5}));
    CHECK(resumes_exactly<xor_net_f>(kiln::sgd{.learning_rate = 0.1, .momentum = 0.5}, 9, {2, 7}));
}

TEST_CASE("fit() on its own restarts the optimizer and the shuffle: a trainer is what carries them", "[trainer]") {
    const xor_net start = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{5});
    xor_net restarted = start;
    kiln::fit(restarted, xor_data<double>, kiln::squared_error{}, kiln::adam{.learning_rate = 0.05}, shuffled(6));
    kiln::fit(restarted, xor_data<double>, kiln::squared_error{}, kiln::adam{.learning_rate = 0.05}, shuffled(6));
    xor_net kept = start;
    kiln::trainer<xor_net, kiln::squared_error, kiln::adam> t{kiln::squared_error{}, kiln::adam{.learning_rate = 0.05}};
    t.fit(kept, xor_data<double>, shuffled(6));
    t.fit(kept, xor_data<double>, shuffled(6));
    CHECK(!(restarted == kept));
}

TEST_CASE("the callback counts epochs across the calls of one trainer", "[trainer]") {
    auto net = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{5});
    kiln::trainer<xor_net, kiln::squared_error, kiln::sgd> t{kiln::squared_error{}, kiln::sgd{.learning_rate = 0.3}};
    std::vector<std::size_t> seen;
    const auto record = [&](const kiln::epoch_report<xor_net>& e) { seen.push_back(e.epoch); };
    const auto r1 = t.fit(net, xor_data<double>, shuffled(2), record);
    const auto r2 = t.fit(net, xor_data<double>, shuffled(3), record);
    CHECK(r1.epochs == 2);
    CHECK(r2.epochs == 3);
    CHECK(seen == std::vector<std::size_t>{1, 2, 3, 4, 5});
    CHECK(t.epochs() == 5);
}

TEST_CASE("inside the compiler, stages of one trainer give the bits of one evaluation, and of run time", "[trainer][constexpr]") {
    STATIC_REQUIRE(stage3.net == in_one_go.net);
    STATIC_REQUIRE(stage3.trainer.epochs() == 100);
    STATIC_REQUIRE(!(stage1.net == stage0.net));
    STATIC_REQUIRE(kiln::accuracy(in_one_go.net, xor_data<double>) == 1.0);
    // The same stages at run time (epochs through a volatile, so GCC cannot fold them).
    volatile std::size_t forty = 40;
    stage s = start_stage();
    s = advanced(s, forty);
    s = advanced(s, 25);
    s = advanced(s, 35);
    CHECK(s.net == in_one_go.net);
}

namespace {

constexpr std::size_t big_in = 784, big_hidden = 128, big_out = 10, big_rows = 300;
using big_net = kiln::network<float, kiln::dense<big_in, big_hidden, kiln::relu>, kiln::dense<big_hidden, big_out, kiln::softmax>>;
using big_sample = kiln::sample<float, big_in, big_out>;

struct big_run {
    std::vector<big_sample> rows;
    double before = 0, after = 0;
    kiln::fit_status status = kiln::fit_status::no_data;
};

// 10 random 784-pixel prototypes; each row is one with a fifth of its pixels replaced by noise.
std::vector<big_sample> big_rows_of_noise() {
    std::uint64_t s = 99;
    const auto next = [&s] {
        s = s * 6364136223846793005u + 1442695040888963407u;
        return float(s >> 40) * 0x1p-24f;
    };
    std::vector<float> prototype(big_out * big_in);
    for (float& p : prototype) p = next() < 0.3f ? 1.0f : 0.0f;
    std::vector<big_sample> rows(big_rows);
    for (std::size_t r = 0; r < big_rows; ++r) {
        const std::size_t c = r % big_out;
        for (std::size_t i = 0; i < big_in; ++i) rows[r].x[i] = next() < 0.2f ? next() : prototype[c * big_in + i];
        for (std::size_t o = 0; o < big_out; ++o) rows[r].y[o] = o == c ? 1.0f : 0.0f;
    }
    return rows;
}

void* train_big(void* arg) {
    auto& run = *static_cast<big_run*>(arg);
    // About 400 KB of network and 1.3 MB of trainer (Adam's two moments, the gradient, the tile):
    // both on the heap; the thread's stack is small.
    auto net = std::make_unique<big_net>();
    net->initialize(kiln::he_uniform{}, kiln::seed{1});
    using trainer_type = kiln::trainer<big_net, kiln::softmax_cross_entropy, kiln::adam>;
    auto t = std::make_unique<trainer_type>(kiln::softmax_cross_entropy{}, kiln::adam{.learning_rate = 1e-3});
    run.before = kiln::accuracy(*net, run.rows);
    run.status = t->fit(*net, run.rows, {.epochs = 3, .batch_size = 32, .shuffle = true, .seed = kiln::seed{2}}).status;
    run.after = kiln::accuracy(*net, run.rows);
    return nullptr;
}

} // namespace

TEST_CASE("a 784-128-10 network trains at run time on a 256 KB stack, its trainer on the heap", "[trainer]") {
    STATIC_REQUIRE(sizeof(kiln::trainer<big_net, kiln::softmax_cross_entropy, kiln::adam>) > 1000000);
    big_run run{big_rows_of_noise()};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_t thread;
    REQUIRE(pthread_create(&thread, &attr, train_big, &run) == 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    CHECK(run.status == kiln::fit_status::completed);
    CHECK(run.before < 0.3);
    CHECK(run.after > 0.9);
}
