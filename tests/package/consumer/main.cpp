// Proves a consumer gets kiln's headers, C++20 and kiln's compile options from kiln::kiln alone.
#include <kiln/kiln.hpp>

#include "xor_net.hpp"   // written by trainer.cpp through kiln_generate_header()
#include "xor_rows.hpp"  // baked from xor.csv by kiln_bake_csv()

#include <cstddef>
#include <cstdio>

namespace {

constexpr kiln::dataset<double, 12, 2, 1> rows = [] {
    kiln::dataset<double, 12, 2, 1> d{};
    for (std::size_t i = 0; i < d.size(); ++i) {
        d.rows[i].x[0] = static_cast<double>(i);
        d.rows[i].x[1] = static_cast<double>(i % 2);
        d.rows[i].y[0] = static_cast<double>(i % 3);
    }
    return d;
}();

static_assert(xor_rows.size() == 4 && xor_rows[1].y[0] == 1.0 && xor_rows[3].y[0] == 0.0);
static_assert(xor_net_t::inputs == 2 && xor_net_reference_input[1] == 1.0);

// The baked rows train a network inside the compiler.
using xor_net = kiln::network<double, kiln::dense<2, 4, kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;
constexpr xor_net train_xor() {
    auto net = xor_net::initialized(kiln::xavier_uniform{}, kiln::seed{2});
    kiln::fit(net, xor_rows, kiln::binary_cross_entropy{.reduction = kiln::reduction::sum},
              kiln::sgd{.learning_rate = 0.5}, {.epochs = 60});
    return net;
}
constexpr xor_net trained = train_xor();
static_assert(kiln::accuracy(trained, xor_rows) == 1.0);

constexpr auto parts = kiln::split_every<5>(rows);
static_assert(parts.train.size() == 10 && parts.test.size() == 2);
static_assert(parts.test[0].x[0] == 4.0 && parts.test[1].x[0] == 9.0);

// 1,100,000 iterations in one constant evaluation exceed GCC's default loop limit (2^18)
// and Clang's default step budget (2^20): this compiles only if the constexpr limits
// that kiln::kiln carries reached this translation unit.
constexpr unsigned long long long_evaluation() {
    unsigned long long sum = 0;
    for (unsigned long long i = 0; i < 1100000; ++i) sum += i & 7u;
    return sum;
}
#if defined(__GNUC__)
static_assert(long_evaluation() == 3850000);
#endif

} // namespace

int main() {
    // The same function at run time, on rows that pass through a volatile (GCC would run a
    // call whose arguments are all constants in the compiler too).
    auto run_time_rows = rows;
    volatile double first = rows.rows[0].x[0];
    run_time_rows.rows[0].x[0] = first;
    const auto split = kiln::split_every<5>(run_time_rows);
    if (!(split.train == parts.train) || !(split.test == parts.test)) {
        std::puts("consumer: run-time split differs from the compile-time one");
        return 1;
    }
    std::printf("consumer: kiln works (%zu train rows, %zu test rows)\n", split.train.size(), split.test.size());
    return 0;
}
