// fuzz/fuzz_input.hpp — what the fuzz targets share: options drawn from the input's first bytes, and a check that stops loudly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <kiln/io/error.hpp>

namespace kiln_fuzz {

// A broken promise is a finding: abort, so libFuzzer (and the corpus replay) reports it.
inline void require(bool ok, const char* what, std::string_view detail = "") {
    if (ok) return;
    std::fprintf(stderr, "kiln fuzz: %s: %.*s\n", what, static_cast<int>(detail.size() > 300 ? 300 : detail.size()),
                 detail.data());
    std::abort();
}

// Every error must say something, and say it in a bounded number of bytes whatever the input.
inline void check_error(const kiln::io::error& e) {
    require(!e.message.empty(), "an error without a message");
    require(e.message.size() < 600, "an error message longer than 600 bytes", e.message);
}

// The input's leading bytes, read one by one as option choices (0 once they run out).
struct bytes {
    const std::uint8_t* data;
    std::size_t size;
    std::uint8_t take() {
        if (size == 0) return 0;
        --size;
        return *data++;
    }
    std::string_view rest() const { return {reinterpret_cast<const char*>(data), size}; }
};

} // namespace kiln_fuzz
