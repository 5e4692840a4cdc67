// fuzz/npz_fuzz.cpp — libFuzzer target for kiln/io/npy.hpp's .npz reader and network loader: never a crash, and what reads writes back the same.
//
// First byte even: the rest is an archive, read, rewritten, read again and loaded into a
// small network. Odd: the rest is cut into up to four members (at 0xff bytes), packed by
// npz_bytes with valid CRC-32s, so the network loader meets arbitrary .npy members.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <kiln/io/npy.hpp>
#include <kiln/network.hpp>

#include "fuzz_input.hpp"

namespace {

using net = kiln::network<float, kiln::dense<2, 3, kiln::tanh>, kiln::dense<3, 1, kiln::sigmoid, kiln::no_bias>>;

void load(const kiln::io::npz_archive& archive, std::uint8_t choice) {
    net n{};
    const auto l = choice & 2 ? kiln::io::layout::keras : kiln::io::layout::pytorch;
    const auto r = kiln::io::load_npz(n, archive, l, {.allow_rounding = (choice & 4) != 0});
    if (!r) {
        kiln_fuzz::check_error(r.error());
        kiln_fuzz::require(n == net{}, "a failed load changed the network");
        return;
    }
    kiln_fuzz::require(n.all_within(3.4e38f), "a loaded network holds a non-finite weight");
    for (const auto& m : archive.members) {
        const auto a = kiln::io::array<double>(archive, m.name, {});
        if (!a) kiln_fuzz::check_error(a.error());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiln_fuzz::bytes in{data, size};
    const std::uint8_t choice = in.take();
    const std::string_view rest = in.rest();
    if (choice & 1) {
        static const char* const names[] = {"0.weight", "0.bias", "1.weight", "dense.kernel"};
        std::vector<kiln::io::npz_member> members;
        std::size_t start = 0;
        for (std::size_t k = 0; k < 4 && start <= rest.size(); ++k) {
            std::size_t end = rest.find('\xff', start);
            if (end == std::string_view::npos || k == 3) end = rest.size();
            members.push_back({names[(choice / 8 + k) % 4], std::string(rest.substr(start, end - start))});
            start = end + 1;
        }
        const auto bytes = kiln::io::npz_bytes(members);
        if (!bytes) return kiln_fuzz::check_error(bytes.error()), 0;
        const auto archive = kiln::io::parse_npz(*bytes, "fuzz.npz");
        kiln_fuzz::require(static_cast<bool>(archive), "kiln cannot read its own .npz archive",
                           archive ? "" : archive.error().message);
        load(*archive, choice);
        return 0;
    }
    const auto archive = kiln::io::parse_npz(rest, "fuzz.npz");
    if (!archive) return kiln_fuzz::check_error(archive.error()), 0;
    const auto bytes = kiln::io::npz_bytes(archive->members);
    if (bytes) {
        const auto again = kiln::io::parse_npz(*bytes, "again.npz");
        kiln_fuzz::require(static_cast<bool>(again) && again->members.size() == archive->members.size(),
                           "an archive read and rewritten does not read back");
        for (std::size_t k = 0; k < archive->members.size(); ++k)
            kiln_fuzz::require(again->members[k].name == archive->members[k].name &&
                                   again->members[k].npy == archive->members[k].npy,
                               "a member changed on the way back");
    } else {
        kiln_fuzz::check_error(bytes.error());
    }
    load(*archive, choice);
    return 0;
}
