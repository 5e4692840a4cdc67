// kiln/metrics.hpp — how well a network does on data: accuracy, loss, mean absolute error, confusion matrix.
//
// All constexpr, so a build can prove a baked network's quality with static_assert.
// A class is the argmax of a row with several outputs, and output >= 0.5 for one output.
#pragma once

#include <array>
#include <cstddef>

#include "dataset.hpp"
#include "loss.hpp"
#include "network.hpp"

namespace kiln {

/// The index of the largest value (the first one on ties).
template <class T, std::size_t N>
constexpr std::size_t argmax(const std::array<T, N>& v) noexcept {
    std::size_t best = 0;
    for (std::size_t i = 1; i < N; ++i)
        if (v[i] > v[best]) best = i;
    return best;
}

namespace detail {
/// The class a row of Width values stands for.
template <std::size_t Width, class T>
constexpr std::size_t class_of(const T (&v)[Width]) noexcept {
    if constexpr (Width == 1) {
        return v[0] >= T(0.5) ? 1 : 0;
    } else {
        std::size_t best = 0;
        for (std::size_t i = 1; i < Width; ++i)
            if (v[i] > v[best]) best = i;
        return best;
    }
}
} // namespace detail

/// Rows of data whose predicted class equals the target's class, as a fraction of all rows.
template <class Net, class Data>
constexpr double accuracy(const Net& net, const Data& data) {
    const auto rows = kiln::view(data);
    std::size_t hits = 0;
    typename Net::value_type out[Net::outputs]{};
    for (const auto& s : rows) {
        net.predict(s.x, out);
        hits += detail::class_of<Net::outputs>(out) == detail::class_of<Net::outputs>(s.y);
    }
    return rows.empty() ? 0.0 : double(hits) / double(rows.size());
}

/// The mean over rows of the loss of the network's outputs (the figure fit() reports).
template <class Net, class Data, class Loss>
constexpr typename Net::value_type evaluate(const Net& net, const Data& data, const Loss& loss) {
    using T = typename Net::value_type;
    const auto rows = kiln::view(data);
    T sum = T(0);
    T out[1][Net::outputs]{}, target[1][Net::outputs]{};
    for (const auto& s : rows) {
        net.predict(s.x, out[0]);
        for (std::size_t o = 0; o < Net::outputs; ++o) target[0][o] = s.y[o];
        sum += kiln::total_loss(loss, out, target, 1);
    }
    return rows.empty() ? T(0) : sum / T(rows.size());
}

/// The mean over rows and outputs of |target - output| (the seed's progress figure).
template <class Net, class Data>
constexpr typename Net::value_type mean_absolute_error(const Net& net, const Data& data) {
    using T = typename Net::value_type;
    const auto rows = kiln::view(data);
    T sum = T(0);
    T out[Net::outputs]{};
    for (const auto& s : rows) {
        net.predict(s.x, out);
        for (std::size_t o = 0; o < Net::outputs; ++o) sum += s.y[o] > out[o] ? s.y[o] - out[o] : out[o] - s.y[o];
    }
    return rows.empty() ? T(0) : sum / T(rows.size() * Net::outputs);
}

/// counts[target class][predicted class] over the rows of data; Classes is the number of
/// outputs, or 2 for a single output read with the 0.5 threshold.
template <class Net, std::size_t Classes = (Net::outputs == 1 ? 2 : Net::outputs)>
struct confusion_matrix {
    std::array<std::array<std::size_t, Classes>, Classes> counts{};

    template <class Data>
    constexpr confusion_matrix(const Net& net, const Data& data) {
        typename Net::value_type out[Net::outputs]{};
        for (const auto& s : kiln::view(data)) {
            net.predict(s.x, out);
            ++counts[detail::class_of<Net::outputs>(s.y)][detail::class_of<Net::outputs>(out)];
        }
    }
    /// Rows of class `target` predicted as `predicted`.
    constexpr std::size_t operator()(std::size_t target, std::size_t predicted) const {
        return counts[target][predicted];
    }
    /// All rows counted.
    constexpr std::size_t total() const {
        std::size_t t = 0;
        for (const auto& row : counts) for (std::size_t c : row) t += c;
        return t;
    }
};
template <class Net, class Data>
confusion_matrix(const Net&, const Data&) -> confusion_matrix<Net>;

} // namespace kiln
