// kiln/train.hpp — fit() and kiln::trainer: training by backpropagation, the same code inside the compiler and at run time.
//
// One epoch is one call that walks the data in batches; each batch is processed in
// tiles of up to `tile_rows` rows, layer by layer (forward, output gradient, backward),
// and ends with one optimizer update per layer (plain SGD over a batch that fits one tile
// descends straight from the tile instead, without a gradient buffer: the bits of the
// update for several rows, the hand-written loop's (lr * g) * x for one; see dense::descend;
// at run time, online, each row's descent of the first layer also computes the next row's
// first layer, in one sweep over its weights: dense::descend_forward, the same bits).
// Working a whole tile per call, rather than a row, is what keeps constant evaluation
// cheap: the evaluator pays for every call, and this way a layer costs a handful of calls
// per tile instead of per sample.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include "dataset.hpp"
#include "loss.hpp"
#include "metrics.hpp"
#include "network.hpp"
#include "optimizer.hpp"
#include "random.hpp"
#include "unroll.hpp"

namespace kiln {

/// Options of fit(), as designated initialisers: `{.epochs = 200, .batch_size = 16, .shuffle = true}`.
struct fit_options {
    std::size_t epochs = 1;
    std::size_t batch_size = 0;  ///< rows per update: 1 is online, 0 (or >= rows) the full batch
    bool shuffle = false;        ///< visit the rows in a fresh pseudo-random order each epoch
    kiln::seed seed{0};          ///< fixes that order
    double target_loss = -1.0;   ///< stop after an epoch whose mean loss is <= this (negative: never)
};

/// Why fit() returned.
enum class fit_status { completed, reached_target_loss, stopped_by_callback, diverged, bad_data, no_data };

/// What fit() returns: the status, the epochs this call ran, and the mean loss of its last
/// epoch (measured during that epoch's forward passes; NaN when no epoch ran).
template <class T>
struct fit_result {
    fit_status status;
    std::size_t epochs;
    T loss;
    std::size_t bad_row = 0;  ///< the first row holding a NaN or inf, when status is bad_data

    /// True unless training diverged or never started (bad data, or no rows at all).
    constexpr explicit operator bool() const noexcept {
        return status != fit_status::diverged && status != fit_status::bad_data && status != fit_status::no_data;
    }
};

/// What a fit() callback sees after each epoch: the network after `epoch` epochs (counted
/// from 1, over all the fit() calls of one kiln::trainer), and the epoch's mean loss and
/// accuracy over the rows it trained on, measured during that epoch's forward passes (as
/// Keras reports them).
template <class Net>
struct epoch_report {
    const Net& network;
    std::size_t epoch;
    typename Net::value_type loss;
    typename Net::value_type accuracy;
};

/// The callback type meaning "none".
struct no_callback {};

namespace detail {

/// Called where training met NaN or inf (or a weight beyond 2^(max exponent / 4), on its
/// way there). Being non-constexpr, reaching it inside the compiler is a compile error that
/// names it; at run time it does nothing and fit() returns fit_status::diverged.
inline void training_diverged_a_loss_or_weight_became_nan_or_inf() {}

/// Called when the training data holds a NaN or inf: a compile error inside the compiler
/// (the notes name the row), fit_status::bad_data at run time.
inline void training_data_holds_a_nan_or_inf(std::size_t /*row*/) {}

/// Called when fit() is given no rows: a compile error inside the compiler, fit_status::no_data
/// at run time.
inline void training_data_has_no_rows() {}

/// The index of the first row with a NaN or inf in its inputs or targets, or n.
template <class T, std::size_t In, std::size_t Out>
constexpr std::size_t first_bad_row(const sample<T, In, Out>* rows, std::size_t n) {
    // Comparisons only: arithmetic on a NaN is itself an error inside Clang's evaluator.
    constexpr T max = std::numeric_limits<T>::max();
    if (!__builtin_is_constant_evaluated()) {  // a row's tests without branches, which compilers vectorise
        for (std::size_t r = 0; r < n; ++r) {
            bool ok = true;
            for (T v : rows[r].x) ok &= (v >= -max) & (v <= max);
            for (T v : rows[r].y) ok &= (v >= -max) & (v <= max);
            if (!ok) return r;
        }
        return n;
    }
    for (std::size_t r = 0; r < n; ++r) {  // short-circuited: fewer evaluation steps
        bool ok = true;
        for (T v : rows[r].x) ok = ok && v >= -max && v <= max;
        for (T v : rows[r].y) ok = ok && v >= -max && v <= max;
        if (!ok) return r;
    }
    return n;
}

/// A pseudo-random permutation of [0, n) without storage: a 4-round Feistel network on the
/// smallest even power of two >= n, walked until it lands inside [0, n).
struct row_permutation {
    std::uint64_t n = 0;
    std::uint32_t half_bits = 0;
    std::uint32_t key[4]{};
    bool identity = true;

    constexpr std::uint64_t operator()(std::uint64_t i) const {
        if (identity) return i;
        const std::uint64_t mask = (std::uint64_t{1} << half_bits) - 1;
        do {
            std::uint64_t l = i >> half_bits, r = i & mask;
            for (std::uint32_t k : key) {
                std::uint64_t f = (r ^ k) * 0x9E3779B97F4A7C15u;
                f ^= f >> 29;
                const std::uint64_t next = l ^ (f & mask);
                l = r;
                r = next;
            }
            i = (l << half_bits) | r;
        } while (i >= n);
        return i;
    }
};

template <class E>
constexpr row_permutation make_permutation(std::uint64_t n, E& engine) {
    row_permutation p{n};
    std::uint32_t bits = 0;
    while ((std::uint64_t{1} << (2 * bits)) < n) ++bits;
    p.half_bits = bits == 0 ? 1 : bits;
    for (auto& k : p.key) k = static_cast<std::uint32_t>(engine());
    p.identity = false;
    return p;
}

template <class Net, class Loss, class Opt, class Layers, class Inputs, class Outputs>
struct trainer_core;

/// The working state of training: the optimizer's state, the work buffers, and what the
/// current fit() call trains on. Everything that stays the same for a call is a member, so
/// each epoch and tile is a call with few arguments (the constant evaluator pays for every
/// argument); the index packs are the class's, so no call exists to deduce them.
template <class T, class... L, class Loss, class Opt, std::size_t... I, std::size_t... X, std::size_t... Y>
struct trainer_core<network<T, L...>, Loss, Opt, std::index_sequence<I...>, std::index_sequence<X...>,
                    std::index_sequence<Y...>> {
    using net_type = network<T, L...>;
    static constexpr std::size_t depth = sizeof...(L);
    static constexpr std::size_t tile_rows = 32;
    // A weight beyond 2^(max exponent / 4) (2^32 in float, 2^256 in double) is on its way
    // to inf: stopping there, before any product or square of it overflows, lets the
    // constant evaluator report the divergence by name rather than as an arithmetic overflow.
    static constexpr T divergence_bound = [] {
        T b = T(1);
        for (int i = 0; i < std::numeric_limits<T>::max_exponent / 4; ++i) b *= T(2);
        return b;
    }();
    static constexpr std::size_t in = net_type::inputs, out = net_type::outputs;
    using last = nth_layer<depth - 1, L...>;
    template <std::size_t K>
    using params_t = typename nth_layer<K, L...>::template params<T>;
    // Direct casts to the slots: an accessor function would cost a call per use.
    template <std::size_t K>
    using params_slot = layer_slot<K, params_t<K>>;
    template <std::size_t K>
    using state_slot = layer_slot<K, typename Opt::template state<params_t<K>>>;
    template <std::size_t K>
    using value_t = value_slot<K, T, tile_rows, in, L...>;
    template <std::size_t K>
    using delta_t = block_slot<K, T, tile_rows, nth_layer<K, L...>::outputs>;
    struct state_pack : state_slot<I>... {};

    // What training uses, and what the current call trains on.
    Loss loss;
    Opt opt;
    const sample<T, in, out>* rows = nullptr;
    std::size_t n = 0;
    std::size_t batch = 0;
    bool measure = false;
    row_permutation order{};

    // Working storage.
    value_blocks<T, tile_rows, in, L...> a{};              // the tile's inputs, then each layer's outputs
    blocks<T, tile_rows, std::index_sequence<I...>, L::outputs...> delta{};  // dL/dz of each layer
    T y[tile_rows][out]{};                                 // the tile's targets
    layer_pack<T, std::index_sequence<I...>, L...> grads{};
    state_pack states{};
    bool resident = false;  // the blocks hold every row, in order, from the last epoch
    // At run time, shuffled: the position in this epoch's order of the row looked up ahead
    // (none: npos) and its index in `rows`.
    static constexpr std::size_t npos = std::size_t(-1);
    std::size_t ahead_at = npos, ahead = 0;
    // At run time, online plain SGD (epoch<true>): the row after this one, whose first layer
    // this row's descent computes (dense::descend_forward; npos: none), and whether this row's
    // first layer's outputs are already in place, computed so by the last row.
    std::size_t next_row = npos;
    bool forwarded = false;

    // What an epoch measured: the summed loss and the rows classified right (when `measure`).
    T loss_sum = T(0);
    std::size_t correct = 0;

    /// One epoch over the rows in `order`; false if a parameter left +-divergence_bound.
    template <bool Online = false>
        requires(!Online)
    constexpr bool epoch(net_type& net) {
        loss_sum = T(0);
        correct = 0;
        ahead_at = npos;
        for (std::size_t start = 0; start < n; start += batch) {
            const std::size_t b = n - start < batch ? n - start : batch;
            const T scale = loss.reduction == kiln::reduction::mean ? T(1) / T(b) : T(1);
            // Plain SGD over a batch that fits one tile descends straight from the tile.
            T direct_rate = T(0);
            if constexpr (std::is_same_v<Opt, sgd>)
                if (opt.momentum == 0.0 && b <= tile_rows) direct_rate = T(opt.learning_rate) * scale;
            for (std::size_t t = 0; t < b; t += tile_rows)
                run_tile(net, start + t, b - t < tile_rows ? b - t : tile_rows, direct_rate);
            if (direct_rate == T(0))
                (opt.update(static_cast<params_slot<I>&>(net.layers).params,
                            static_cast<params_slot<I>&>(grads).params, static_cast<state_slot<I>&>(states).params,
                            scale), ...);
        }
        resident = order.identity && batch >= n && n <= tile_rows;
        return net.all_within(divergence_bound);
    }

    /// At run time, an epoch of online plain SGD (only where online_sgd()): the tile loop above
    /// for batches of one row (whose scale is 1, so the step's rate is the learning rate), where
    /// each row's descent of the first layer also computes the next row's first layer
    /// (dense::descend_forward): the same operations in the same order, in one sweep over the
    /// first layer's weights a row instead of two.
    template <bool Online>
        requires Online
    bool epoch(net_type& net) {
        loss_sum = T(0);
        correct = 0;
        ahead_at = npos;
        forwarded = false;
        if constexpr (std::is_same_v<Opt, sgd>)
            for (std::size_t row = 0; row < n; ++row) run_tile<true>(net, row, 1, T(opt.learning_rate));
        resident = false;
        return net.all_within(divergence_bound);
    }

    /// Whether an epoch is online plain SGD over more than one row: what epoch<true>() runs.
    constexpr bool online_sgd() const {
        if constexpr (std::is_same_v<Opt, sgd>)
            return batch == 1 && n > 1 && opt.momentum == 0.0 && T(opt.learning_rate) != T(0);
        else
            return false;
    }

private:
    /// Copies rows first .. first + r - 1 (in `order`) into the tile.
    constexpr void load(std::size_t first, std::size_t r) {
        auto& x = static_cast<value_t<0>&>(a).v;
        if (!__builtin_is_constant_evaluated()) {
            // Rows copied whole (the element loops stay scalar where the compiler cannot rule
            // out that the tile overlaps the data). Shuffled, each tile looks up the next tile's
            // first row and prefetches it: a row's index is a chain of multiplications and its
            // fetch from a large dataset a cache miss, and online (a row a tile) the row's
            // passes would otherwise wait for both in turn.
            for (std::size_t k = 0; k < r; ++k) {
                const sample<T, in, out>& s = rows[first + k == ahead_at ? ahead : order(first + k)];
                __builtin_memcpy(x[k], s.x, sizeof s.x);
                __builtin_memcpy(y[k], s.y, sizeof s.y);
            }
            if (!order.identity && first + r < n) {
                ahead_at = first + r;
                ahead = order(ahead_at);
                const char* next = reinterpret_cast<const char*>(rows + ahead);
                for (std::size_t byte = 0; byte < sizeof(sample<T, in, out>); byte += 64) __builtin_prefetch(next + byte);
            }
            return;
        }
        if constexpr (folds<in> && folds<out>) {
            if (order.identity)
                for (std::size_t k = 0; k < r; ++k)
                    ((x[k][X] = rows[first + k].x[X]), ...), ((y[k][Y] = rows[first + k].y[Y]), ...);
            else
                for (std::size_t k = 0; k < r; ++k) {
                    const sample<T, in, out>& s = rows[order(first + k)];  // one permutation step a row
                    ((x[k][X] = s.x[X]), ...), ((y[k][Y] = s.y[Y]), ...);
                }
        } else {
            for (std::size_t k = 0; k < r; ++k) {
                const sample<T, in, out>& s = rows[order(first + k)];
                for (std::size_t i = 0; i < in; ++i) x[k][i] = s.x[i];
                for (std::size_t i = 0; i < out; ++i) y[k][i] = s.y[i];
            }
        }
    }

    /// One tile: load, forward, the output's gradient, backward; Online: a row of epoch<true>().
    template <bool Online = false>
    constexpr void run_tile(net_type& net, std::size_t first, std::size_t r, T direct_rate) {
        // When one tile holds every row in order, the rows stay loaded from the last epoch.
        if (!resident) load(first, r);
        // Forward, keeping every layer's output.
        if constexpr (Online) {
            next_row = first + 1 < n ? (order.identity ? first + 1 : ahead) : npos;  // load() looked it up
            if (forwarded) forward_after_first(net, r);
            else net.forward_rows(a, r);
            forwarded = false;
        } else
            net.forward_rows(a, r);
        // dL/dz of the output layer.
        auto& a_out = static_cast<value_t<depth>&>(a).v;
        output_gradient<typename last::activation>(loss, a_out, y, static_cast<delta_t<depth - 1>&>(delta).v, r,
                                                  std::index_sequence<Y...>{});
        if (measure) {
            loss_sum += kiln::total_loss(loss, a_out, y, r);
            for (std::size_t k = 0; k < r; ++k) correct += class_of<out>(a_out[k]) == class_of<out>(y[k]);
        }
        // Backward, last layer first.
        (backward_layer<depth - 1 - I, Online>(net, r, direct_rate), ...);
    }

    /// The forward pass of layers 1, 2, ... (the first one's outputs are in place): run time only.
    void forward_after_first(const net_type& net, std::size_t r) {
        ((I > 0 ? nth_layer<I, L...>::forward(static_cast<const params_slot<I>&>(net.layers).params,
                                               static_cast<value_t<I>&>(a).v, static_cast<value_t<I + 1>&>(a).v, r)
                : void()), ...);
    }

    /// dL/dz of layer K - 1, then layer K's gradients into `grads`, or, with a non-zero
    /// direct_rate, layer K's descent (after the propagation, which needs the old weights);
    /// Online, the first layer's with a next_row fused with that row's forward pass.
    template <std::size_t K, bool Online>
    constexpr void backward_layer(net_type& net, std::size_t r, T direct_rate) {
        using layer_k = nth_layer<K, L...>;
        auto& g = static_cast<delta_t<K>&>(delta).v;
        auto& p = static_cast<params_slot<K>&>(net.layers).params;
        const auto& input = static_cast<value_t<K>&>(a).v;
        if constexpr (K > 0) {
            layer_k::propagate(p, g, static_cast<delta_t<K - 1>&>(delta).v, r);
            nth_layer<K - 1, L...>::activation::backward(input, static_cast<delta_t<K - 1>&>(delta).v, r);
        }
        if constexpr (Online && K == 0) {
            if (next_row != npos) {
                layer_k::descend_forward(p, input[0], g[0], direct_rate, rows[next_row].x, static_cast<value_t<1>&>(a).v);
                forwarded = true;
                return;
            }
        }
        if (direct_rate != T(0)) layer_k::descend(p, input, g, r, direct_rate);
        else layer_k::accumulate(input, g, static_cast<params_slot<K>&>(grads).params, r);
    }
};

template <class Net, class Loss, class Opt>
using trainer_core_for = trainer_core<Net, Loss, Opt, std::make_index_sequence<Net::depth>,
                                      std::make_index_sequence<Net::inputs>, std::make_index_sequence<Net::outputs>>;

} // namespace detail

/// The whole state of a training run — the optimizer's moments, the shuffle stream, the
/// epochs done and the work buffers — as a value the caller keeps. N epochs in one fit() call
/// and the same N epochs over several calls give the same bits, for every optimizer, with or
/// without shuffling, inside the compiler (a trainer can be part of a constexpr stage) and at
/// run time. It holds work buffers for 32 rows and the optimizer's copies of the parameters,
/// so for a large network keep it off the stack: a `std::make_unique` of the trainer (see the README).
template <class Net, class Loss, class Opt>
class trainer {
    using T = typename Net::value_type;
    using last = typename Net::template layer_type<Net::depth - 1>;
    static_assert(loss_for<Loss, typename last::activation>,
                  "kiln::fit: this loss cannot follow the output layer's activation (a fused loss such as softmax_cross_entropy needs its own activation, e.g. kiln::softmax, on the last layer)");

public:
    constexpr trainer(const Loss& loss, const Opt& optimizer) : core_{loss, optimizer} {}

    /// Epochs trained so far, over all fit() calls.
    constexpr std::size_t epochs() const noexcept { return epochs_; }

    /// Trains `net` on `data` for `options.epochs` more epochs (or until the target loss, a
    /// callback returning false, or divergence), as kiln::fit() does. The shuffle stream is
    /// seeded from `options.seed` by the first epoch this trainer runs and continues from
    /// there in later calls.
    template <class Data, class Callback = no_callback>
    constexpr fit_result<T> fit(Net& net, const Data& data, const fit_options& options = {}, Callback&& callback = {}) {
        const auto rows = kiln::view(data);
        using view_type = std::remove_cvref_t<decltype(rows)>;
        using sample_type = typename view_type::value_type;
        static_assert(std::is_same_v<typename sample_type::value_type, T>,
                      "kiln::fit: the data's value type (float or double) differs from the network's");
        static_assert(sample_type::inputs == Net::inputs, "kiln::fit: the data's rows have a different number of inputs than the network's first layer");
        static_assert(sample_type::outputs == Net::outputs, "kiln::fit: the data's targets have a different width than the network's last layer");

        constexpr bool has_callback = !std::is_same_v<std::remove_cvref_t<Callback>, no_callback>;
        const std::size_t n = rows.size();
        fit_result<T> result{fit_status::completed, 0, std::numeric_limits<T>::quiet_NaN()};
        if (n == 0) {
            detail::training_data_has_no_rows();
            result.status = fit_status::no_data;
            return result;
        }
        if (const std::size_t bad = detail::first_bad_row(rows.data(), n); bad != n) {
            detail::training_data_holds_a_nan_or_inf(bad);
            result.status = fit_status::bad_data;
            result.bad_row = bad;
            return result;
        }
        if (epochs_ == 0) order_engine_ = pcg32{options.seed};
        core_.rows = rows.data();
        core_.n = n;
        core_.batch = options.batch_size == 0 || options.batch_size > n ? n : options.batch_size;
        core_.order = detail::row_permutation{n};
        core_.resident = false;
        // At run time online plain SGD runs its own epochs (epoch<true>), chosen once a call.
        if (!__builtin_is_constant_evaluated() && core_.online_sgd())
            result = run(net, options, callback, std::bool_constant<has_callback>{}, std::true_type{});
        else
            result = run(net, options, callback, std::bool_constant<has_callback>{}, std::false_type{});
        core_.rows = nullptr;  // no pointer into the caller's data outlives the call
        return result;
    }

private:
    template <class Callback, bool HasCallback, bool Online>
    constexpr fit_result<T> run(Net& net, const fit_options& options, Callback& callback, std::bool_constant<HasCallback>,
                                std::bool_constant<Online>) {
        fit_result<T> result{fit_status::completed, 0, std::numeric_limits<T>::quiet_NaN()};
        const std::size_t n = core_.n;
        // The loss is measured when someone looks at it: a callback, the target, the result.
        const bool always_measure = HasCallback || options.target_loss >= 0.0;
        for (std::size_t e = 0; e < options.epochs; ++e) {
            core_.measure = always_measure || e + 1 == options.epochs;
            if (options.shuffle) core_.order = detail::make_permutation(n, order_engine_);
            const bool finite = core_.template epoch<Online>(net);
            ++epochs_;
            result.epochs = e + 1;
            const T mean_loss = core_.loss_sum / T(n);
            if (core_.measure) result.loss = mean_loss;
            if (!finite || (core_.measure && !(mean_loss >= -std::numeric_limits<T>::max() &&
                                               mean_loss <= std::numeric_limits<T>::max()))) {
                detail::training_diverged_a_loss_or_weight_became_nan_or_inf();
                result.status = fit_status::diverged;
                return result;
            }
            if constexpr (HasCallback) {
                const epoch_report<Net> report{net, epochs_, mean_loss, T(core_.correct) / T(n)};
                if constexpr (std::is_same_v<decltype(callback(report)), bool>) {
                    if (!callback(report)) {
                        result.status = fit_status::stopped_by_callback;
                        return result;
                    }
                } else {
                    callback(report);
                }
            }
            if (options.target_loss >= 0.0 && mean_loss <= T(options.target_loss)) {
                result.status = fit_status::reached_target_loss;
                return result;
            }
        }
        return result;
    }

    detail::trainer_core_for<Net, Loss, Opt> core_;
    pcg32 order_engine_{kiln::seed{0}};
    std::size_t epochs_ = 0;
};

/// Trains `net` on `data` for `options.epochs` epochs (or until the target loss, a callback
/// returning false, or divergence), minimising `loss` with `optimizer`. After each epoch
/// `callback(const epoch_report<Net>&)` runs if given; it may return bool to stop early.
/// Deterministic: the same inputs give the same bits, inside the compiler and at run time.
/// Data holding NaN or inf is refused before training (fit_status::bad_data), and so is no
/// data at all (fit_status::no_data); divergence stops it (fit_status::diverged). Inside the
/// compiler each is a compile error naming it. Each call starts afresh (optimizer state,
/// shuffle stream): to train on in several calls, keep a kiln::trainer.
template <class T, class... L, class Data, class Loss, class Opt, class Callback = no_callback>
constexpr fit_result<T> fit(network<T, L...>& net, const Data& data, const Loss& loss, const Opt& optimizer,
                            const fit_options& options = {}, Callback&& callback = {}) {
    trainer<network<T, L...>, Loss, Opt> t{loss, optimizer};
    return t.fit(net, data, options, callback);
}

} // namespace kiln
