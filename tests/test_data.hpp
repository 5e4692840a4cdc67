// tests/test_data.hpp — where the I/O tests find their fixture files.
#pragma once

#include <filesystem>
#include <string_view>

/// A fixture: under KILN_TEST_DATA_DIR when the build defines it, else tests/data beside this file.
inline std::filesystem::path test_data(std::string_view file) {
#ifdef KILN_TEST_DATA_DIR
    return std::filesystem::path(KILN_TEST_DATA_DIR) / file;
#else
    return std::filesystem::path(__FILE__).parent_path() / "data" / file;
#endif
}
