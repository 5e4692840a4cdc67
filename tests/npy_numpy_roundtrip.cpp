// tests/npy_numpy_roundtrip.cpp — kiln's half of the round trip through NumPy itself (tests/npy_numpy_roundtrip.py has the other).
//
//   npy_numpy_roundtrip write <dir>   writes kiln_pytorch.npz (a float network, PyTorch layout),
//                                     kiln_keras.npz (a double network, Keras layout) and inputs.npy
//   npy_numpy_roundtrip check <dir>   reads what NumPy wrote back and made, and compares:
//     back_pytorch.npz, back_keras.npz  NumPy's np.savez of the arrays it loaded: the same networks, bit for bit;
//     kiln_keras_predictions.npy        NumPy's forward pass of kiln's double network: kiln's predictions;
//     numpy_net.npz (+ _predictions)    a network NumPy drew itself, PyTorch layout, float64: kiln predicts the same;
//     seed.npz (+ _predictions)         the seed's NumPy training, its weights: kiln's seed network predicts the same.
// Exits 0 with "ok" when everything agrees; otherwise prints what differs and exits 1.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <type_traits>

#include <kiln/io/npy.hpp>
#include <kiln/kiln.hpp>

namespace {

using net_f = kiln::network<float, kiln::dense<3, 5, kiln::tanh>, kiln::dense<5, 2, kiln::sigmoid>>;
using net_d = kiln::network<double, kiln::dense<3, 5, kiln::tanh>, kiln::dense<5, 2, kiln::sigmoid>>;
using seed_net = kiln::network<double, kiln::dense<3, 1, kiln::sigmoid, kiln::no_bias>>;

int failures = 0;

void expect(bool ok, const std::string& what) {
    if (!ok) {
        std::printf("FAILED: %s\n", what.c_str());
        ++failures;
    }
}

template <class R>
bool ok(const R& r, const std::string& what) {
    if (!r) expect(false, what + ": " + kiln::io::to_string(r.error()));
    return static_cast<bool>(r);
}

kiln::io::npy_array<double> inputs() {
    kiln::io::npy_array<double> x{{6, 3}, {}};
    for (std::size_t k = 0; k < 18; ++k) x.values.push_back(std::sin(double(k) * 1.7) * 2);
    return x;
}

// kiln's predictions for the rows of x agree with NumPy's to a relative 1e-12 (glibc's exp
// and tanh against kiln::math's).
template <class Net>
void compare_predictions(const Net& net, const kiln::io::npy_array<double>& x, const std::filesystem::path& file) {
    const auto y = kiln::io::load_npy<double>(file);
    if (!ok(y, file.string())) return;
    const std::size_t rows = x.shape[0];
    expect(y->shape == std::vector<std::size_t>{rows, Net::outputs}, file.string() + ": shape " + kiln::io::shape_string(y->shape));
    if (y->values.size() != rows * Net::outputs) return;
    for (std::size_t r = 0; r < rows; ++r) {
        typename Net::input_type in{};
        for (std::size_t i = 0; i < Net::inputs; ++i) in[i] = x.values[r * x.shape[1] + i];
        const auto out = net.predict(in);
        for (std::size_t o = 0; o < Net::outputs; ++o) {
            const double want = y->values[r * Net::outputs + o];
            expect(std::fabs(out[o] - want) <= 1e-12 * std::fmax(std::fabs(want), 1e-300),
                   file.string() + ": row " + std::to_string(r) + " output " + std::to_string(o) + ": kiln " +
                       std::to_string(out[o]) + ", NumPy " + std::to_string(want));
        }
    }
}

// The network with biases that are not zero (initialized() leaves them 0), none exact in float.
template <class Net>
Net with_biases(Net n) {
    n.for_each_layer([](auto k, auto& p) {
        for (std::size_t o = 0; o < std::remove_cvref_t<decltype(p)>::outputs; ++o)
            p.bias(o) = static_cast<typename Net::value_type>(0.1 * double(o + 1) - 0.3 * double(k));
    });
    return n;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: npy_numpy_roundtrip write|check <dir>\n");
        return 2;
    }
    const std::string mode = argv[1];
    const std::filesystem::path dir = argv[2];
    const net_f f = with_biases(net_f::initialized(kiln::uniform{-1, 1}, kiln::seed{11}));
    const net_d d = with_biases(net_d::initialized(kiln::uniform{-1, 1}, kiln::seed{12}));
    if (mode == "write") {
        ok(kiln::io::save_npz(f, dir / "kiln_pytorch.npz", kiln::io::layout::pytorch), "kiln_pytorch.npz");
        ok(kiln::io::save_npz(d, dir / "kiln_keras.npz", kiln::io::layout::keras), "kiln_keras.npz");
        ok(kiln::io::save_npy(dir / "inputs.npy", inputs()), "inputs.npy");
    } else {
        net_f f_back{};
        if (ok(kiln::io::load_npz(f_back, dir / "back_pytorch.npz", kiln::io::layout::pytorch), "back_pytorch.npz"))
            expect(f_back == f, "back_pytorch.npz: the float network came back changed");
        net_d d_back{};
        if (ok(kiln::io::load_npz(d_back, dir / "back_keras.npz", kiln::io::layout::keras), "back_keras.npz"))
            expect(d_back == d, "back_keras.npz: the double network came back changed");
        compare_predictions(d, inputs(), dir / "kiln_keras_predictions.npy");

        net_d numpys{};
        if (ok(kiln::io::load_npz(numpys, dir / "numpy_net.npz", kiln::io::layout::pytorch), "numpy_net.npz"))
            compare_predictions(numpys, inputs(), dir / "numpy_net_predictions.npy");

        seed_net s{};
        const auto seed_x = kiln::io::npy_array<double>{{4, 3}, {0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1}};
        if (ok(kiln::io::load_npz(s, dir / "seed.npz", kiln::io::layout::keras), "seed.npz"))
            compare_predictions(s, seed_x, dir / "seed_predictions.npy");
    }
    if (failures != 0) return 1;
    std::printf("ok: %s\n", mode.c_str());
    return 0;
}
