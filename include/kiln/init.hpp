// kiln/init.hpp — weight initialisers: how a fresh network's weights are drawn.
//
// An initialiser is an aggregate of options with one member,
//   draw<T>(engine, fan_in, fan_out)  one weight for a layer of that shape.
// network::initialized() calls it for every weight in storage order (layer by layer,
// output row by row) and sets biases to zero, so a seed fixes a network exactly.
#pragma once

#include <cstddef>

#include "math.hpp"
#include "random.hpp"

namespace kiln {

/// Uniform in [low, high): the seed's 2 * random_sample() - 1 is uniform{-1, 1}.
struct uniform {
    double low = -1.0;
    double high = 1.0;
    template <class T, class Engine>
    constexpr T draw(Engine& e, std::size_t, std::size_t) const {
        return uniform_real<T>(e, T(low), T(high));
    }
};

/// Normal with the given mean and standard deviation.
struct normal {
    double mean = 0.0;
    double stddev = 0.05;
    template <class T, class Engine>
    constexpr T draw(Engine& e, std::size_t, std::size_t) const {
        return normal_real<T>(e, T(mean), T(stddev));
    }
};

/// Glorot & Bengio (2010): uniform in +-sqrt(6 / (fan_in + fan_out)). Suits tanh and sigmoid layers.
struct xavier_uniform {
    template <class T, class Engine>
    constexpr T draw(Engine& e, std::size_t fan_in, std::size_t fan_out) const {
        const double limit = kiln::math::sqrt(6.0 / double(fan_in + fan_out));
        return uniform_real<T>(e, T(-limit), T(limit));
    }
};

/// Glorot & Bengio (2010): normal with stddev sqrt(2 / (fan_in + fan_out)) (not truncated).
struct xavier_normal {
    template <class T, class Engine>
    constexpr T draw(Engine& e, std::size_t fan_in, std::size_t fan_out) const {
        return normal_real<T>(e, T(0), T(kiln::math::sqrt(2.0 / double(fan_in + fan_out))));
    }
};

/// He et al. (2015): uniform in +-sqrt(6 / fan_in). Suits relu layers.
struct he_uniform {
    template <class T, class Engine>
    constexpr T draw(Engine& e, std::size_t fan_in, std::size_t) const {
        const double limit = kiln::math::sqrt(6.0 / double(fan_in));
        return uniform_real<T>(e, T(-limit), T(limit));
    }
};

/// He et al. (2015): normal with stddev sqrt(2 / fan_in) (not truncated).
struct he_normal {
    template <class T, class Engine>
    constexpr T draw(Engine& e, std::size_t fan_in, std::size_t) const {
        return normal_real<T>(e, T(0), T(kiln::math::sqrt(2.0 / double(fan_in))));
    }
};

using glorot_uniform = xavier_uniform;
using glorot_normal = xavier_normal;

} // namespace kiln
