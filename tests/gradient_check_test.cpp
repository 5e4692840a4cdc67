// Backpropagation checked against central finite differences: for every activation and
// every loss that may follow it, on random 3-5-4-2 networks whose hidden layers use the
// activation under test, at run time over many seeds and at compile time for a few.
//
// The analytic gradient is the one fit() hands to its optimizer: a probe optimizer
// replaces each parameter by that gradient (times the reduction's scale), so one
// full-batch epoch turns a copy of the network into its gradient. The numeric gradient
// perturbs each parameter by +-h and differences the batch loss (summed over rows, or
// their mean for a mean reduction, which is the 1 / batch the trainer scales by).
#include "kiln_test.hpp"

#include <kiln/kiln.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <type_traits>

namespace {

constexpr std::size_t batch = 4;

/// An optimizer that overwrites each parameter with its gradient: after one epoch of a
/// full-batch fit() the network holds dL/dparam.
struct gradient_probe {
    template <class P>
    struct state {};
    template <class P, class T = typename P::value_type>
    constexpr bool update(P& p, P& g, state<P>&, T scale) const {
        for (std::size_t i = 0; i < sizeof(p.w) / sizeof(T); ++i) p.w[i] = g.w[i] * scale, g.w[i] = T(0);
        if constexpr (P::has_bias)
            for (std::size_t i = 0; i < sizeof(p.b) / sizeof(T); ++i) p.b[i] = g.b[i] * scale, g.b[i] = T(0);
        return true;
    }
};

template <class Hidden, class Output>
using net_of = kiln::network<double, kiln::dense<3, 5, Hidden>, kiln::dense<5, 4, Hidden>, kiln::dense<4, 2, Output>>;

/// Every parameter of a 3-layer network in storage order, as a pointer into it.
template <class Net>
struct parameter_list {
    static constexpr std::size_t size = 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2;
    double* p[size];
    constexpr explicit parameter_list(Net& n) : p{} {
        std::size_t k = 0;
        for (auto& w : n.template layer<0>().w) p[k++] = &w;
        for (auto& b : n.template layer<0>().b) p[k++] = &b;
        for (auto& w : n.template layer<1>().w) p[k++] = &w;
        for (auto& b : n.template layer<1>().b) p[k++] = &b;
        for (auto& w : n.template layer<2>().w) p[k++] = &w;
        for (auto& b : n.template layer<2>().b) p[k++] = &b;
    }
};

/// The batch loss whose gradient fit() applies: the rows' losses summed, divided by the
/// row count for a mean reduction. Computed from predict() and the loss's block total(),
/// so it shares no code with backpropagation.
template <class Net, class Data, class Loss>
constexpr double batch_loss(const Net& net, const Data& data, const Loss& loss) {
    double s = 0;
    for (const auto& row : data) {
        double a[1][2]{}, y[1][2]{{row.y[0], row.y[1]}};
        net.predict(row.x, a[0]);
        s += kiln::total_loss(loss, a, y, 1);
    }
    return loss.reduction == kiln::reduction::mean ? s / double(Data::size()) : s;
}

constexpr double abs_of(double x) { return x < 0 ? -x : x; }

enum class targets { in_unit_interval, one_hot };

/// A random network (weights and biases in [-1, 1): non-zero biases keep relu's
/// pre-activations off their kink) and a random batch.
template <class Net>
struct problem {
    Net net;
    kiln::dataset<double, batch, 3, 2> data;
};
template <class Net>
constexpr problem<Net> random_problem(std::uint64_t seed, targets t) {
    kiln::pcg32 e{kiln::seed{seed}};
    problem<Net> pr{};
    parameter_list<Net> params{pr.net};
    for (double* p : params.p) *p = kiln::uniform_real<double>(e, -1.0, 1.0);
    for (auto& row : pr.data.rows) {
        for (auto& x : row.x) x = kiln::uniform_real<double>(e, -2.0, 2.0);
        if (t == targets::one_hot) {
            const std::size_t c = kiln::uniform_index(e, 2);
            row.y[0] = c == 0 ? 1.0 : 0.0;
            row.y[1] = c == 1 ? 1.0 : 0.0;
        } else {
            row.y[0] = kiln::uniform_real<double>(e, 0.0, 1.0);
            row.y[1] = kiln::uniform_real<double>(e, 0.0, 1.0);
        }
    }
    return pr;
}

/// How far z is from the nearest point where activation A is not smooth: a jump in its
/// derivative (relu, leaky_relu, hard_sigmoid) or in its second derivative (fast_sigmoid
/// at 0). Finite differences straddling such a point lose their order of accuracy.
template <class A>
constexpr double kink_distance(double z) {
    if constexpr (std::is_same_v<A, kiln::relu> || std::is_same_v<A, kiln::leaky_relu> ||
                  std::is_same_v<A, kiln::leaky_relu_with<3, 10>> || std::is_same_v<A, kiln::fast_sigmoid>) {
        return abs_of(z);
    } else if constexpr (std::is_same_v<A, kiln::hard_sigmoid>) {
        const double a = abs_of(z - 2.5), b = abs_of(z + 2.5);
        return a < b ? a : b;
    } else {
        return 1e300;
    }
}
template <class A>
constexpr bool has_kinks = kink_distance<A>(0.0) < 1e300;

/// The smallest distance of any pre-activation of the batch to a kink, from an
/// independent hand-written forward pass.
template <class Hidden, class Output, class Net, class Data>
constexpr double closest_kink(const Net& net, const Data& data) {
    double closest = 1e300;
    for (const auto& row : data) {
        double x0[3] = {row.x[0], row.x[1], row.x[2]}, x1[5]{}, x2[4]{};
        const auto& l0 = net.template layer<0>();
        const auto& l1 = net.template layer<1>();
        const auto& l2 = net.template layer<2>();
        for (std::size_t o = 0; o < 5; ++o) {
            double z = l0.b[o];
            for (std::size_t i = 0; i < 3; ++i) z += l0.weight(o, i) * x0[i];
            const double d = kink_distance<Hidden>(z);
            closest = d < closest ? d : closest;
            if constexpr (has_kinks<Hidden>) x1[o] = Hidden::value(z);  // only needed when kinks matter
        }
        for (std::size_t o = 0; o < 4; ++o) {
            double z = l1.b[o];
            for (std::size_t i = 0; i < 5; ++i) z += l1.weight(o, i) * x1[i];
            const double d = kink_distance<Hidden>(z);
            closest = d < closest ? d : closest;
            if constexpr (has_kinks<Hidden>) x2[o] = Hidden::value(z);
        }
        if constexpr (has_kinks<Output>) {
            for (std::size_t o = 0; o < 2; ++o) {
                double z = l2.b[o];
                for (std::size_t i = 0; i < 4; ++i) z += l2.weight(o, i) * x2[i];
                const double d = kink_distance<Output>(z);
                closest = d < closest ? d : closest;
            }
        }
    }
    return closest;
}

struct check_result {
    double max_relative_error;
    std::size_t compared;  // parameters whose gradient was compared
    bool near_kink;        // the problem was unfit for finite differences (redraw it)
};

/// Worst relative error |analytic - numeric| / max(|analytic|, |numeric|) over the
/// parameters whose gradient is at least `small` times the largest one; smaller ones
/// (where the difference quotient's rounding, about 1e-11 of the loss, would dominate)
/// are held to an absolute error of tolerance * small * largest instead.
template <class Hidden, class Output, class Loss>
constexpr check_result check(std::uint64_t seed, const Loss& loss, targets t) {
    using net_t = net_of<Hidden, Output>;
    const auto pr = random_problem<net_t>(seed, t);
    // Steps: 1e-3 for smooth networks (the four-point stencil's truncation error, O(h^4),
    // and its rounding, O(1e-16 / h), both about 1e-12); 1e-4 with kinks, and no
    // pre-activation within 20 steps of one.
    constexpr bool kinks = has_kinks<Hidden> || has_kinks<Output>;
    constexpr double h = kinks ? 1e-4 : 1e-3;
    if (kinks && closest_kink<Hidden, Output>(pr.net, pr.data) < 20 * h) return {0, 0, true};

    net_t analytic = pr.net;
    kiln::fit(analytic, pr.data, loss, gradient_probe{}, {.epochs = 1});
    parameter_list<net_t> ga{analytic};

    net_t probe = pr.net;
    parameter_list<net_t> pp{probe};
    double numeric[parameter_list<net_t>::size]{};
    double largest = 0;
    for (std::size_t k = 0; k < parameter_list<net_t>::size; ++k) {
        const double p0 = *pp.p[k];
        *pp.p[k] = p0 + 2 * h;
        const double f2 = batch_loss(probe, pr.data, loss);
        *pp.p[k] = p0 + h;
        const double f1 = batch_loss(probe, pr.data, loss);
        *pp.p[k] = p0 - h;
        const double m1 = batch_loss(probe, pr.data, loss);
        *pp.p[k] = p0 - 2 * h;
        const double m2 = batch_loss(probe, pr.data, loss);
        *pp.p[k] = p0;
        numeric[k] = (8 * (f1 - m1) - (f2 - m2)) / (12 * h);
        largest = abs_of(numeric[k]) > largest ? abs_of(numeric[k]) : largest;
        largest = abs_of(*ga.p[k]) > largest ? abs_of(*ga.p[k]) : largest;
    }
    constexpr double small = 1e-3;
    check_result r{0, 0, false};
    for (std::size_t k = 0; k < parameter_list<net_t>::size; ++k) {
        const double a = *ga.p[k], n = numeric[k];
        const double m = abs_of(a) > abs_of(n) ? abs_of(a) : abs_of(n);
        const double rel = abs_of(a - n) / (m > small * largest ? m : small * largest);
        if (m >= small * largest && m > 0) ++r.compared;
        r.max_relative_error = rel > r.max_relative_error ? rel : r.max_relative_error;
    }
    if (largest == 0) r.max_relative_error = 1;  // nothing to compare is no pass
    return r;
}

constexpr std::uint64_t run_time_seeds = 50;
constexpr double tolerance = 1e-6;

/// Checks one pair on run_time_seeds random problems, prints its worst error, and requires
/// it to be within tolerance. Problems with a pre-activation near a kink, or where most
/// gradients vanish (dead relu units), are redrawn; a pair may redraw at most as often as
/// it keeps, so a bug that zeroes gradients still fails.
template <class Hidden, class Output, class Loss>
void check_pair(const char* name, const Loss& loss, targets t) {
    constexpr std::size_t size = parameter_list<net_of<Hidden, Output>>::size;
    double worst = 0;
    std::uint64_t kept = 0, redrawn = 0;
    for (std::uint64_t s = 1; kept < run_time_seeds && redrawn <= run_time_seeds; ++s) {
        const check_result r = check<Hidden, Output>(s, loss, t);
        if (r.near_kink || r.compared < size / 3) {
            ++redrawn;
            continue;
        }
        ++kept;
        INFO(name << ", seed " << s << ": max relative error " << r.max_relative_error << " over " << r.compared
                  << " parameters");
        CHECK(r.max_relative_error <= tolerance);
        worst = r.max_relative_error > worst ? r.max_relative_error : worst;
    }
    std::printf("gradient check %-52s max relative error %.2g (%llu networks, %llu redrawn)\n", name, worst,
                static_cast<unsigned long long>(kept), static_cast<unsigned long long>(redrawn));
    INFO(name << ": " << redrawn << " problems redrawn");
    CHECK(kept == run_time_seeds);
}

constexpr kiln::squared_error sse{};
constexpr kiln::squared_error mse{.reduction = kiln::reduction::mean};
constexpr kiln::binary_cross_entropy bce{};
constexpr kiln::categorical_cross_entropy cce{};
constexpr kiln::softmax_cross_entropy sce{};

} // namespace

TEST_CASE("squared error (sum and mean): backprop matches finite differences after every activation",
          "[gradient_check]") {
    check_pair<kiln::identity, kiln::identity>("identity + squared_error(sum)", sse, targets::in_unit_interval);
    check_pair<kiln::identity, kiln::identity>("identity + squared_error(mean)", mse, targets::in_unit_interval);
    check_pair<kiln::sigmoid, kiln::sigmoid>("sigmoid + squared_error(sum)", sse, targets::in_unit_interval);
    check_pair<kiln::sigmoid, kiln::sigmoid>("sigmoid + squared_error(mean)", mse, targets::in_unit_interval);
    check_pair<kiln::fast_sigmoid, kiln::fast_sigmoid>("fast_sigmoid + squared_error(sum)", sse, targets::in_unit_interval);
    check_pair<kiln::fast_sigmoid, kiln::fast_sigmoid>("fast_sigmoid + squared_error(mean)", mse, targets::in_unit_interval);
    check_pair<kiln::hard_sigmoid, kiln::hard_sigmoid>("hard_sigmoid + squared_error(sum)", sse, targets::in_unit_interval);
    check_pair<kiln::hard_sigmoid, kiln::hard_sigmoid>("hard_sigmoid + squared_error(mean)", mse, targets::in_unit_interval);
    check_pair<kiln::tanh, kiln::tanh>("tanh + squared_error(sum)", sse, targets::in_unit_interval);
    check_pair<kiln::tanh, kiln::tanh>("tanh + squared_error(mean)", mse, targets::in_unit_interval);
    check_pair<kiln::relu, kiln::relu>("relu + squared_error(sum)", sse, targets::in_unit_interval);
    check_pair<kiln::relu, kiln::relu>("relu + squared_error(mean)", mse, targets::in_unit_interval);
    check_pair<kiln::leaky_relu, kiln::leaky_relu>("leaky_relu + squared_error(sum)", sse, targets::in_unit_interval);
    check_pair<kiln::leaky_relu, kiln::leaky_relu>("leaky_relu + squared_error(mean)", mse, targets::in_unit_interval);
    check_pair<kiln::leaky_relu_with<3, 10>, kiln::leaky_relu_with<3, 10>>("leaky_relu_with<3,10> + squared_error(sum)",
                                                                          sse, targets::in_unit_interval);
    check_pair<kiln::leaky_relu_with<3, 10>, kiln::leaky_relu_with<3, 10>>(
        "leaky_relu_with<3,10> + squared_error(mean)", mse, targets::in_unit_interval);
    check_pair<kiln::softmax, kiln::softmax>("softmax + squared_error(sum)", sse, targets::one_hot);
    check_pair<kiln::softmax, kiln::softmax>("softmax + squared_error(mean)", mse, targets::one_hot);
}

TEST_CASE("binary cross-entropy: backprop matches finite differences after outputs in (0, 1), fused with sigmoid",
          "[gradient_check]") {
    check_pair<kiln::sigmoid, kiln::sigmoid>("sigmoid + binary_cross_entropy (fused)", bce, targets::one_hot);
    check_pair<kiln::sigmoid, kiln::sigmoid>("sigmoid + binary_cross_entropy, soft targets", bce,
                                             targets::in_unit_interval);
    check_pair<kiln::fast_sigmoid, kiln::fast_sigmoid>("fast_sigmoid + binary_cross_entropy", bce, targets::one_hot);
    check_pair<kiln::hard_sigmoid, kiln::hard_sigmoid>("hard_sigmoid + binary_cross_entropy", bce, targets::one_hot);
    check_pair<kiln::tanh, kiln::softmax>("softmax (tanh hidden) + binary_cross_entropy", bce, targets::one_hot);
    check_pair<kiln::softmax, kiln::softmax>("softmax + binary_cross_entropy", bce, targets::one_hot);
}

TEST_CASE("categorical cross-entropy: backprop matches finite differences after outputs in (0, 1)",
          "[gradient_check]") {
    check_pair<kiln::sigmoid, kiln::sigmoid>("sigmoid + categorical_cross_entropy", cce, targets::one_hot);
    check_pair<kiln::fast_sigmoid, kiln::fast_sigmoid>("fast_sigmoid + categorical_cross_entropy", cce,
                                                       targets::one_hot);
    check_pair<kiln::hard_sigmoid, kiln::hard_sigmoid>("hard_sigmoid + categorical_cross_entropy", cce,
                                                       targets::one_hot);
    check_pair<kiln::softmax, kiln::softmax>("softmax + categorical_cross_entropy", cce, targets::one_hot);
}

TEST_CASE("softmax cross-entropy (fused): backprop matches finite differences, every hidden activation",
          "[gradient_check]") {
    check_pair<kiln::softmax, kiln::softmax>("softmax + softmax_cross_entropy", sce, targets::one_hot);
    check_pair<kiln::identity, kiln::softmax>("softmax (identity hidden) + softmax_cross_entropy", sce, targets::one_hot);
    check_pair<kiln::sigmoid, kiln::softmax>("softmax (sigmoid hidden) + softmax_cross_entropy", sce, targets::one_hot);
    check_pair<kiln::tanh, kiln::softmax>("softmax (tanh hidden) + softmax_cross_entropy", sce, targets::one_hot);
    check_pair<kiln::relu, kiln::softmax>("softmax (relu hidden) + softmax_cross_entropy", sce, targets::one_hot);
    check_pair<kiln::leaky_relu, kiln::softmax>("softmax (leaky_relu hidden) + softmax_cross_entropy", sce,
                                                targets::one_hot);
    check_pair<kiln::hard_sigmoid, kiln::softmax>("softmax (hard_sigmoid hidden) + softmax_cross_entropy", sce,
                                                  targets::one_hot);
}

TEST_CASE("the gradient check holds inside the compiler too", "[gradient_check][constexpr]") {
    STATIC_REQUIRE(check<kiln::sigmoid, kiln::sigmoid>(101, bce, targets::one_hot).max_relative_error <= tolerance);
    STATIC_REQUIRE(check<kiln::tanh, kiln::softmax>(102, sce, targets::one_hot).max_relative_error <= tolerance);
    STATIC_REQUIRE(check<kiln::relu, kiln::identity>(103, mse, targets::in_unit_interval).max_relative_error <=
                   tolerance);
    STATIC_REQUIRE(check<kiln::fast_sigmoid, kiln::fast_sigmoid>(104, cce, targets::one_hot).max_relative_error <=
                   tolerance);
}

TEST_CASE("the check can fail: a wrong derivative is caught", "[gradient_check]") {
    // sigmoid's value with tanh's derivative: backprop is then wrong by a large factor.
    struct wrong_sigmoid : kiln::elementwise<wrong_sigmoid> {
        static constexpr double value(double z) { return kiln::sigmoid::value(z); }
        static constexpr double derivative(double a) { return 1 - a * a; }
    };
    CHECK(check<wrong_sigmoid, kiln::identity>(1, sse, targets::in_unit_interval).max_relative_error > 1e-2);
}
