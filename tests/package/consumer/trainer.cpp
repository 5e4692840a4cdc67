// Writes xor_net.hpp at build time (kiln_generate_header): a network made at run time, baked with kiln::io::write_header.
#include <cstdio>

#include <kiln/kiln.hpp>
#include <kiln/io/bake.hpp>

int main(int argc, char** argv) {
    if (argc != 2) return 1;
    using net_t = kiln::network<double, kiln::dense<2, 4, kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;
    const auto net = net_t::initialized(kiln::xavier_uniform{}, kiln::seed{2});
    const double first[] = {0, 1};
    if (const auto r = kiln::io::write_header(argv[1], net, "xor_net", {.reference_input = first}); !r) {
        std::fprintf(stderr, "%s\n", kiln::io::to_string(r.error()).c_str());
        return 1;
    }
    return 0;
}
