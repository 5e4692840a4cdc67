// bench/seed_hand.hpp — what the hand-coded seed benches share: NumPy's start and the check of NumPy's end.
#pragma once

namespace seed_hand {

struct weights {
    double w[3];
};

// NumPy: np.random.seed(42); 2 * np.random.random_sample((3, 1)) - 1.
inline constexpr weights initial{{-0x1.00f11c3415c28p-2, 0x1.cd880d177aca8p-1, 0x1.db1fa3c799d44p-2}};

/// Whether `got` holds NumPy's weights after the 10000 epochs, each to 1e-9.
constexpr bool reaches_numpy(const weights& got) {
    constexpr double want[3] = {9.672563032508513, -0.2081117369575768, -4.6292614413270865};
    bool ok = true;
    for (int i = 0; i < 3; ++i) ok = ok && (got.w[i] > want[i] ? got.w[i] - want[i] : want[i] - got.w[i]) <= 1e-9;
    return ok;
}

} // namespace seed_hand
