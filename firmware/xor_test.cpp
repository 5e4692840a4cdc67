// firmware/xor_test.cpp — XOR 2-4-1 on the target: trained by the compiler in this translation unit,
// and (where the image has room and time) trained again at run time on the core itself.
//
// Both networks' outputs must hold exactly the bits the host computed (kiln_expected.hpp),
// and the run-time training must give the compile-time weights, bit for bit: full batch, and
// online on shuffled rows.
#include <cstdint>

#include "kiln_expected.hpp"
#include "networks/xor.hpp"
#include "tally.hpp"

namespace {

using firmware::xor_net::net_type;

constexpr net_type compile_time = firmware::xor_net::train(firmware::xor_net::data, 2);
static_assert(kiln::accuracy(compile_time, firmware::xor_net::data) == 1.0, "the compiler learned XOR");

// Rows through volatile reads: the compiler cannot fold what it cannot see.
firmware::xor_net::data_type rows_at_run_time() {
    firmware::xor_net::data_type d{};
    for (std::size_t r = 0; r < 4; ++r) {
        const volatile float* x = firmware::xor_net::data[r].x;
        const volatile float* y = firmware::xor_net::data[r].y;
        d[r].x[0] = x[0];
        d[r].x[1] = x[1];
        d[r].y[0] = y[0];
    }
    return d;
}

void check_same_weights(firmware::tally& t, const net_type& expected, const net_type& got, const char* what) {
    expected.for_each_layer([&](auto k, const auto& p) {
        const auto& q = got.layer<decltype(k)::value>();
        bool same = true;
        for (std::size_t o = 0; o < p.outputs; ++o) {
            for (std::size_t i = 0; i < p.inputs; ++i) same = same && firmware::bits(p.weight(o, i)) == firmware::bits(q.weight(o, i));
            same = same && firmware::bits(p.bias(o)) == firmware::bits(q.bias(o));
        }
        t.expect(same, what, k);
    });
}

void check_outputs(firmware::tally& t, const net_type& net, const char* what) {
    const auto rows = rows_at_run_time();
    for (std::uint32_t r = 0; r < 4; ++r) {
        float y[1];
        net.predict(rows[r].x, y);
        t.expect_bits(y[0], expected::xor_outputs[r][0], what, r);
    }
}

} // namespace

int main() {
    firmware::tally t;
    check_outputs(t, compile_time, "XOR trained by the compiler: output of row");

    volatile std::uint64_t seed = 2;
    const net_type run_time = firmware::xor_net::train(rows_at_run_time(), seed);
    check_same_weights(t, compile_time, run_time, "XOR trained at run time: the compile-time weights and biases, bit for bit, in layer");
    check_outputs(t, run_time, "XOR trained at run time: output of row");

    constexpr net_type online = firmware::xor_net::train_online(firmware::xor_net::data, 2);
    const net_type online_run_time = firmware::xor_net::train_online(rows_at_run_time(), seed);
    check_same_weights(t, online, online_run_time, "XOR trained online at run time: the compile-time weights and biases, bit for bit, in layer");
    t.expect(!(online == net_type::initialized(kiln::xavier_uniform{}, kiln::seed{2})), "XOR trained online: the weights moved", 0);
    return t.finish();
}
