// expect: write_header cannot spell this activation
// A network whose activation kiln cannot name in C++ cannot be baked into a header: the
// header would not compile. The writer says so instead of writing something wrong.
#include <kiln/io/bake.hpp>

#include <sstream>

struct my_activation : kiln::elementwise<my_activation> {
    template <class T> static constexpr T value(T z) { return z; }
    template <class T> static constexpr T derivative(T) { return T(1); }
};

void bake() {
    kiln::network<float, kiln::dense<2, 1, my_activation>> net{};
    std::ostringstream os;
    (void)kiln::io::write_header(os, net, "net");
}
