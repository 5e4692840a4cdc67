// kiln/network.hpp — a network is a type: its layers, their parameters, and the forward pass.
//
// `network<T, L...>` is a literal type holding one parameter block per layer, built from
// those blocks (`net{params_type<0>{...}, ...}`, as a baked header spells it), so a trained
// network can be a `constexpr` variable (it lands in .rodata) and needs no heap. Adjacent
// layers must agree on their sizes; a mismatch is a compile error naming both sizes.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <tuple>
#include <type_traits>
#include <utility>

#include "init.hpp"
#include "layer.hpp"
#include "random.hpp"
#include "unroll.hpp"

namespace kiln {

namespace detail {

template <std::size_t I, class P>
struct layer_slot {
    P params;
    friend constexpr bool operator==(const layer_slot&, const layer_slot&) = default;
};

template <class T, class Seq, class... L>
struct layer_pack;
template <class T, std::size_t... I, class... L>
struct layer_pack<T, std::index_sequence<I...>, L...> : layer_slot<I, typename L::template params<T>>... {
    friend constexpr bool operator==(const layer_pack&, const layer_pack&) = default;
};

template <std::size_t I, class P>
constexpr P& slot(layer_slot<I, P>& s) noexcept { return s.params; }
template <std::size_t I, class P>
constexpr const P& slot(const layer_slot<I, P>& s) noexcept { return s.params; }

/// One T[R][W] block per layer: the outputs (or gradients) of every layer for R rows.
template <std::size_t I, class T, std::size_t R, std::size_t W>
struct block_slot {
    T v[R][W];
};
template <class T, std::size_t R, class Seq, std::size_t... W>
struct blocks;
template <class T, std::size_t R, std::size_t... I, std::size_t... W>
struct blocks<T, R, std::index_sequence<I...>, W...> : block_slot<I, T, R, W>... {};

template <std::size_t I, class... L>
using nth_layer = std::tuple_element_t<I, std::tuple<L...>>;

/// The K-th of V... (counted from 0).
template <std::size_t K, std::size_t... V>
inline constexpr std::size_t kth_value = [] {
    constexpr std::size_t v[] = {V...};
    return v[K];
}();

/// The values flowing through layers L... for R rows: block 0 holds the In inputs, block
/// K + 1 layer K's outputs, so layer K reads block K and writes block K + 1.
template <class T, std::size_t R, std::size_t In, class... L>
using value_blocks = blocks<T, R, std::make_index_sequence<sizeof...(L) + 1>, In, L::outputs...>;
/// Block K of a value_blocks, to reach it by a cast (inside the compiler every call is paid for).
template <std::size_t K, class T, std::size_t R, std::size_t In, class... L>
using value_slot = block_slot<K, T, R, kth_value<K, In, L::outputs...>>;

/// Instantiated for each pair of adjacent layers; its name and arguments are what the
/// compiler prints when the sizes differ.
template <std::size_t Layer, std::size_t Outputs, std::size_t NextInputs>
struct layer_outputs_must_equal_next_layer_inputs {
    static_assert(Outputs == NextInputs,
                  "kiln::network: layer sizes do not chain: a layer's Out must equal the next layer's In");
    static constexpr bool value = true;
};

template <class... L, std::size_t... I>
constexpr bool layers_chain(std::index_sequence<I...>) {
    [[maybe_unused]] constexpr std::size_t in[] = {L::inputs...};
    [[maybe_unused]] constexpr std::size_t out[] = {L::outputs...};
    return (layer_outputs_must_equal_next_layer_inputs<I, out[I], in[I + 1]>::value && ... && true);
}

template <class First, class...>
struct first_of { using type = First; };
template <class... L>
struct last_of { using type = typename decltype((std::type_identity<L>{}, ...))::type; };

} // namespace detail

/// A feed-forward network of T (float or double) whose layers are L... in order.
template <std::floating_point T, layer... L>
struct network {
    static_assert(sizeof...(L) > 0, "kiln::network: a network needs at least one layer");
    static_assert(detail::layers_chain<L...>(std::make_index_sequence<sizeof...(L) - 1>{}));

    using value_type = T;
    static constexpr std::size_t depth = sizeof...(L);
    static constexpr std::size_t inputs = detail::first_of<L...>::type::inputs;
    static constexpr std::size_t outputs = detail::last_of<L...>::type::outputs;
    using input_type = std::array<T, inputs>;
    using output_type = std::array<T, outputs>;

    /// Layer K's type (a kiln::dense<...>) and its parameters' type.
    template <std::size_t K>
    using layer_type = detail::nth_layer<K, L...>;
    template <std::size_t K>
    using params_type = typename layer_type<K>::template params<T>;
    /// Weights and biases of all layers together.
    static constexpr std::size_t parameter_count = (std::size_t{0} + ... + L::template params<T>::parameter_count);

    detail::layer_pack<T, std::index_sequence_for<L...>, L...> layers;

    /// A network of zeros (`network n{}`); `network n;` leaves the numbers unset.
    constexpr network() = default;
    /// A network holding these parameters, one per layer in order:
    /// `net_type{kiln::dense<2, 4, kiln::tanh>::params<double>{.w = {...}, .b = {...}}, ...}`.
    constexpr explicit network(const typename L::template params<T>&... p) : layers{{p}...} {}

    /// Calls f(std::integral_constant<std::size_t, K>{}, params) for each layer K in order,
    /// params being layer K's parameters (const for a const network).
    template <class F>
    constexpr void for_each_layer(F&& f) {
        visit(f, std::index_sequence_for<L...>{});
    }
    template <class F>
    constexpr void for_each_layer(F&& f) const {
        visit(f, std::index_sequence_for<L...>{});
    }

    /// The parameters of layer I (0 is the first layer).
    template <std::size_t I>
    constexpr auto& layer() noexcept { return detail::slot<I>(layers); }
    template <std::size_t I>
    constexpr const auto& layer() const noexcept { return detail::slot<I>(layers); }

    /// The network's output for one input.
    constexpr output_type predict(const input_type& x) const {
        T in[inputs]{}, out[outputs]{};
        for (std::size_t i = 0; i < inputs; ++i) in[i] = x[i];
        predict(in, out);
        output_type y{};
        for (std::size_t i = 0; i < outputs; ++i) y[i] = out[i];
        return y;
    }
    /// The same from and into plain arrays.
    constexpr void predict(const T (&x)[inputs], T (&y)[outputs]) const {
        // Left uninitialised: every block is written before it is read (inputs, then each
        // layer's outputs), and zeroing them costs a memset per call on a microcontroller.
        detail::value_blocks<T, 1, inputs, L...> v;
        auto& in = static_cast<value_slot<0, 1>&>(v).v;
        for (std::size_t i = 0; i < inputs; ++i) in[0][i] = x[i];
        forward_rows(v, 1);
        const auto& out = static_cast<value_slot<depth, 1>&>(v).v;
        for (std::size_t j = 0; j < outputs; ++j) y[j] = out[0][j];
    }

    /// A network whose weights are drawn by `init` from `engine` (layer by layer, output
    /// row by row) and whose biases are zero.
    template <class Init, bit_engine Engine>
    static constexpr network initialized(const Init& init, Engine& engine) {
        network n{};
        n.initialize(init, engine);
        return n;
    }
    /// The same with kiln's default engine started from `s`.
    template <class Init>
    static constexpr network initialized(const Init& init, kiln::seed s) {
        default_engine engine{s};
        return initialized(init, engine);
    }
    /// initialized(), in place: for a network too large to pass through the stack.
    template <class Init, bit_engine Engine>
    constexpr void initialize(const Init& init, Engine& engine) {
        init_all(init, engine, std::index_sequence_for<L...>{});
    }
    template <class Init>
    constexpr void initialize(const Init& init, kiln::seed s) {
        default_engine engine{s};
        initialize(init, engine);
    }

    /// Whether every weight and bias is finite and within +-bound (false for NaN).
    constexpr bool all_within(T bound) const { return layers_within(bound, std::index_sequence_for<L...>{}); }

    friend constexpr bool operator==(const network&, const network&) = default;

private:
    template <class F, std::size_t... I>
    constexpr void visit(F& f, std::index_sequence<I...>) {
        (f(std::integral_constant<std::size_t, I>{}, detail::slot<I>(layers)), ...);
    }
    template <class F, std::size_t... I>
    constexpr void visit(F& f, std::index_sequence<I...>) const {
        (f(std::integral_constant<std::size_t, I>{}, detail::slot<I>(layers)), ...);
    }
    template <class Init, class Engine, std::size_t... I>
    constexpr void init_all(const Init& init, Engine& engine, std::index_sequence<I...>) {
        (init_layer<L>(detail::slot<I>(layers), init, engine), ...);
    }
    // The slots by cast, not detail::slot(): fit() runs this after every epoch inside the
    // compiler, where each call is paid for.
    template <std::size_t... I>
    constexpr bool layers_within(T bound, std::index_sequence<I...>) const {
        return (params_within(static_cast<const detail::layer_slot<I, params_of<L>>&>(layers).params, bound) && ...);
    }
    template <class P>
    static constexpr bool params_within(const P& p, T bound) {
        if constexpr (P::has_bias)
            return array_within(p.w, bound, std::make_index_sequence<sizeof p.w / sizeof(T)>{}) &&
                   array_within(p.b, bound, std::make_index_sequence<P::outputs>{});
        else
            return array_within(p.w, bound, std::make_index_sequence<sizeof p.w / sizeof(T)>{});
    }
    template <class Layer>
    using params_of = typename Layer::template params<T>;
    // A fold where it may be (unroll.hpp). A NaN fails both comparisons.
    template <std::size_t N, std::size_t... I>
    static constexpr bool array_within(const T (&a)[N], T bound, std::index_sequence<I...>) {
        if constexpr (detail::folds<N>) {
            return ((a[I] <= bound && a[I] >= -bound) && ...);
        } else {
            bool ok = true;
            for (const T v : a) ok = ok && v <= bound && v >= -bound;
            return ok;
        }
    }
    // Output by output, each output's inputs in order: a seed gives the same weights
    // whatever the storage layout.
    template <class Layer, class P, class Init, class Engine>
    static constexpr void init_layer(P& p, const Init& init, Engine& engine) {
        for (std::size_t o = 0; o < Layer::outputs; ++o) {
            for (std::size_t i = 0; i < Layer::inputs; ++i)
                p.weight(o, i) = init.template draw<T>(engine, Layer::inputs, Layer::outputs);
            if constexpr (P::has_bias) p.b[o] = T(0);
        }
    }
    template <std::size_t K, std::size_t R>
    using value_slot = detail::value_slot<K, T, R, inputs, L...>;
    template <std::size_t R, std::size_t... I>
    constexpr void forward_all(detail::value_blocks<T, R, inputs, L...>& v, std::size_t rows,
                               std::index_sequence<I...>) const {
        (L::forward(static_cast<const detail::layer_slot<I, params_of<L>>&>(layers).params,
                    static_cast<value_slot<I, R>&>(v).v, static_cast<value_slot<I + 1, R>&>(v).v, rows), ...);
    }

public:
    /// The forward pass of the first `rows` rows of block 0 of `v` (the inputs): each layer's
    /// outputs into the next block, as training keeps them.
    template <std::size_t R>
    constexpr void forward_rows(detail::value_blocks<T, R, inputs, L...>& v, std::size_t rows) const {
        forward_all(v, rows, std::index_sequence_for<L...>{});
    }
};

} // namespace kiln
